#include "detectors/preselected_consent_rule.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <unordered_set>

#include "detectors/choice_label.h"
#include "detectors/highlighted_choice_detector.h"
#include "detectors/ocr_service.h"
#include "detectors/profile_detectors.h"
#include "detectors/screen_element.h"
#include "detectors/selection_mark_detector.h"
#include "detectors/static_rule_set.h"
#include "detectors/ui_query.h"

namespace uiw::detectors {
namespace {

// Lower-case ASCII words ("I'll do it later" → {"i'll", "do", "it", "later"}).
std::vector<std::string> latin_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (const char ch : text + " ") {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80 && (std::isalpha(c) || c == '\'')) {
      word += static_cast<char>(std::tolower(c));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  return words;
}

// Space-separated words.
std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Text of one region read line by line.
std::string read_region(const Frame& frame, const Rect& region, OcrService* ocr,
                        std::vector<ReadRegion>* reads) {
  std::string text;
  for (const TextItem& t : ocr_text(frame.image, region, ocr, reads))
    text += (text.empty() ? "" : " ") + t.text;
  return text;
}

}  // namespace

std::vector<Finding> PreselectedConsentRule::check(const Frame& frame,
                                                   const std::vector<TextItem>& texts,
                                                   const std::optional<Rect>& popup,
                                                   std::vector<Observation>& observations) const {
  if (!profile_.enabled("CON-01") && !profile_.enabled("CON-02")) return {};
  // Pixels where the tree is blind (no tree, a WebView, a custom view without text); a
  // highlighted accept/decline pair is itself a request for a decision.
  const bool from_pixels = !frame.tree_is_complete();
  // The page under a modal pop-up cannot be acted on while the pop-up is up: only the pop-up is
  // searched, with a margin that keeps its buttons whole where its box is a little tight.
  const int margin = static_cast<int>(frame.to_px(24));
  const Rect searched = popup ? Rect{popup->left - margin, popup->top - margin,
                                     popup->right + margin, popup->bottom + margin}
                                    .intersect(frame.bounds())
                              : frame.bounds();
  // Both pixel searches cut the searched region along one colour edge map: make it once.
  const HighlightedChoiceDetector pair_finder(frame.density_dpi);
  EdgeView edges;
  if (from_pixels && ocr_)
    edges = edge_view(as_bgr(frame.image), searched, frame.density_dpi, pair_finder.work_px_per_dp,
                      pair_finder.edge_low, pair_finder.edge_high);
  std::vector<Finding> pairs;
  if (from_pixels && profile_.enabled("CON-01"))
    pairs = from_highlighted_pairs(frame, texts, popup, edges, observations);
  std::optional<std::string> title;
  const TitleReader title_once = [&]() -> const std::string& {
    if (!title) title = popup ? std::string() : page_title(frame, texts);
    return *title;
  };
  std::vector<CheckedOption> options = from_tree(frame, texts, searched, title_once);
  if (from_pixels && options.empty()) options = from_marks(frame, edges, observations, title_once);
  const bool deciding = popup.has_value() || !pairs.empty();
  std::optional<bool> asks;
  // The options' own labels ("允许获取位置信息") are no accept control of the screen.
  std::vector<Rect> option_boxes;
  for (const CheckedOption& o : options)
    option_boxes.insert(option_boxes.end(), o.boxes.begin(), o.boxes.end());
  const std::function<bool()> asks_once = [&] {
    if (!asks) asks = asks_for_decision(frame, texts, option_boxes);
    return *asks;
  };
  std::vector<Finding> found;
  for (const CheckedOption& option : options)
    if (std::optional<Finding> f = judge(option, deciding, asks_once)) found.push_back(*f);
  found.insert(found.end(), pairs.begin(), pairs.end());
  return found;
}

bool PreselectedConsentRule::names_topic(const std::string& label) const {
  return profile_.vocabulary("consent_topics").find_in(label) ||
         profile_.vocabulary("default_on_topics").find_in(label);
}

std::optional<Finding> PreselectedConsentRule::judge(const CheckedOption& option, bool deciding,
                                                     const std::function<bool()>& asks) const {
  // The agreement itself ("I have read and agree…") ticked for the user is never a preference.
  const bool agreement = profile_.vocabulary("consent_agreement").find_in(option.label).has_value();
  const bool default_on =
      profile_.vocabulary("default_on_topics").find_in(option.label).has_value();
  const bool personalisation =
      profile_.vocabulary("personalisation").find_in(option.label).has_value();
  // An option known by its page alone ("Groups" under "Notifications") is only ever a setting.
  const bool by_page = !option.page_topic.empty();
  const bool only_by_page = by_page && !names_topic(option.label);
  const bool decision = agreement || deciding || asks();
  // Where the screen asks for a decision, a pre-set choice stands in for the user's consent:
  // CON-01. Where nothing asks (a settings page, an onboarding step), notifications, marketing,
  // location, sharing and the like that are on are a default nobody chose: CON-02's warning.
  // Any other option on such a page is the user's current setting ("Force old installer …
  // background updates"), and a personalisation switch that is on is lawful as long as it can
  // be switched off (PIPL art. 24, the PER rules judge that).
  std::string rule = "CON-01";
  if (decision) {
    if (only_by_page) return std::nullopt;
  } else {
    if (!by_page && (personalisation || !default_on)) return std::nullopt;
    rule = "CON-02";
  }
  if (!profile_.enabled(rule)) return std::nullopt;
  const std::string what =
      by_page ? fmt::format("'{}' on the page '{}'", option.label, option.page_topic)
              : fmt::format("'{}'", option.label);
  Finding f = profile_.make_finding(
      rule, rule == "CON-01"
                ? fmt::format("{} is already {} at first display", what, option.state)
                : fmt::format("{} is already {} when first shown, on a screen that asks for no "
                              "decision",
                              what, option.state));
  f.boxes = option.boxes;
  return f;
}

std::vector<PreselectedConsentRule::CheckedOption> PreselectedConsentRule::from_tree(
    const Frame& frame, const std::vector<TextItem>& texts, const Rect& searched,
    const TitleReader& title) const {
  std::vector<CheckedOption> found;
  if (!frame.tree) return found;
  for (const UiNode* box :
       frame.tree->find_all([](const UiNode& n) { return n.checkable && n.checked; })) {
    if (!searched.contains(box->bounds.center_x(), box->bounds.center_y())) continue;
    // The label: the control's own text, else text on the same row (one naming a topic first).
    std::string label = box->text;
    Rect label_box = box->bounds;
    for (const TextItem& t : texts) {
      if (names_topic(label)) break;
      if (t.node == box || row_overlap(t.box, box->bounds) < 0.5) continue;
      if (label.empty() || label == box->text || names_topic(t.text)) {
        label = t.text;
        label_box = t.box;
      }
    }
    if (label.empty()) continue;
    std::vector<Rect> boxes{box->bounds};
    if (!(label_box == box->bounds)) boxes.push_back(label_box);
    const char* state =
        selection_kind_of(*box) == ScreenElement::Kind::kSwitch ? "switched on" : "checked";
    if (auto option = option_for(label, std::move(boxes), state, title))
      found.push_back(std::move(*option));
  }
  return found;
}

std::optional<PreselectedConsentRule::CheckedOption> PreselectedConsentRule::option_for(
    const std::string& label, std::vector<Rect> boxes, const char* state,
    const TitleReader& title) const {
  const Vocabulary& default_on = profile_.vocabulary("default_on_topics");
  if (default_on.find_in(label)) return CheckedOption{label, std::move(boxes), state, ""};
  // A row whose label names no default-on topic ("Brave Ads") may sit on a page that does
  // ("Notifications").
  const std::string& page = title();
  if (!page.empty() && default_on.find_in(page))
    return CheckedOption{label, std::move(boxes), state, page};
  if (names_topic(label)) return CheckedOption{label, std::move(boxes), state, ""};
  return std::nullopt;
}

std::string PreselectedConsentRule::page_title(const Frame& frame,
                                               const std::vector<TextItem>& texts) const {
  // The top bar: 64 dp below the status bar (Material's 56–64 dp toolbars).
  const Rect app = frame.app_area();
  const Rect bar{0, app.top, frame.width(), app.top + static_cast<int>(frame.to_px(64))};
  // Tree text only, outside lists (a page without a toolbar starts with its first row): the
  // corner reads of a screenshot cut the bar's lines (a back arrow and half a title read as
  // "《人").
  const std::unordered_set<const UiNode*> rows =
      frame.tree ? nodes_in_lists(*frame.tree) : std::unordered_set<const UiNode*>{};
  const TextItem* first = nullptr;
  for (const TextItem& t : texts)
    if (t.source == TextItem::Source::kTree && !rows.count(t.node) &&
        bar.contains(t.box.center_x(), t.box.center_y()) && code_points(t.text) >= 2 &&
        (!first || t.box.top < first->box.top))
      first = &t;
  if (first || frame.tree_is_complete() || !ocr_) return first ? first->text : "";
  TextLineFinder lines(frame.density_dpi);
  lines.max_lines = 2;
  const std::vector<TextItem> read = ocr_lines(frame.image, bar, lines, ocr_, reads_);
  // A lone Latin letter is an icon read as text (a search glass as "Q").
  std::string title;
  for (const TextItem& t : read)
    for (const std::string& word : split_words(t.text))
      if (word.size() > 1) title += (title.empty() ? "" : " ") + word;
  return title;
}

std::vector<PreselectedConsentRule::CheckedOption> PreselectedConsentRule::from_marks(
    const Frame& frame, const EdgeView& edges, std::vector<Observation>& seen,
    const TitleReader& title) const {
  std::vector<CheckedOption> found;
  if (!ocr_) return found;
  const int max_labels = static_cast<int>(profile_.vision("consent_max_labels_read", 4));
  int read = 0;
  // Searched where the pair search was, whose edge regions it has labelled already; the
  // detector leaves the status bar out, and the navigation bar's outlines are the system's.
  for (const SelectionMark& m :
       find_selection_widgets(profile_, frame.image, edges.roi, frame.density_dpi, &edges)) {
    if (navigation_bar_lookalike(m, frame.bounds(), frame.density_dpi)) continue;
    seen.push_back({"selection_mark", m.box,
                    fmt::format("{} {}", to_string(m.kind), m.checked ? "checked" : "unchecked")});
    if (!m.checked || read >= max_labels) continue;
    const std::optional<Rect> label_box = find_choice_label(frame.image, m.box, frame.density_dpi);
    if (!label_box) continue;
    ++read;
    const std::string label = read_choice_label(frame.image, *label_box, *ocr_, reads_);
    if (auto option =
            option_for(label, {m.box, *label_box},
                       m.kind == SelectionMark::Kind::kSwitch ? "switched on" : "checked", title))
      found.push_back(std::move(*option));
  }
  return found;
}

std::vector<Finding> PreselectedConsentRule::from_highlighted_pairs(
    const Frame& frame, const std::vector<TextItem>& texts, const std::optional<Rect>& popup,
    const EdgeView& edges, std::vector<Observation>& seen) const {
  std::vector<Finding> found;
  if (!ocr_) return found;
  HighlightedChoiceDetector finder(frame.density_dpi);
  finder.min_button_height_dp =
      profile_.vision("highlight_min_button_height_dp", finder.min_button_height_dp);
  finder.min_inverse_contrast =
      profile_.vision("highlight_min_inverse_contrast", finder.min_inverse_contrast);
  int read = 0;
  for (const HighlightedChoice& pair : finder.detect(frame.image, edges.roi, &edges)) {
    if (read++ >= 2) break;  // the best two pairs; each costs an OCR call
    // A boxed secondary (outlined or grey button) is read inside its outline, plain text with a
    // little margin.
    const bool boxed = pair.secondary.height() > pair.primary.height() * 6 / 10;
    const int pad = boxed ? -pair.secondary.height() / 8 : 4;
    const Rect inner{pair.secondary.left - pad, pair.secondary.top - pad,
                     pair.secondary.right + pad, pair.secondary.bottom + pad};
    const std::string decline = read_region(frame, inner, ocr_, reads_);
    seen.push_back({"decline", pair.secondary, decline});
    if (!is_decline_option(decline)) continue;
    const std::string accept = read_region(frame, pair.primary, ocr_, reads_);
    seen.push_back({"accept", pair.primary, accept});
    // "Not now", "No thanks" decline an offer; "Delete this file?" OK / Cancel is a plain
    // confirmation, not a choice steered towards consent, unless the ask names a topic.
    const bool plain_confirmation = profile_.vocabulary("confirm").match_label(accept) &&
                                    profile_.vocabulary("cancel").match_label(decline);
    if (plain_confirmation && !asks_about_topic(frame, texts, pair, popup, accept, seen)) continue;
    Finding f = profile_.make_finding(
        "CON-01", fmt::format("'{}' is pre-highlighted as the filled default while '{}' is drawn "
                              "plain",
                              accept, decline));
    f.boxes = {pair.primary, pair.secondary};
    found.push_back(std::move(f));
    break;  // one pair makes the point
  }
  return found;
}

bool PreselectedConsentRule::names_ask_topic(const std::string& text) const {
  for (const char* list :
       {"consent_topics", "default_on_topics", "personalisation", "call_to_action", "nag_ask"})
    if (profile_.vocabulary(list).find_in(text)) return true;
  return false;
}

bool PreselectedConsentRule::asks_about_topic(const Frame& frame,
                                              const std::vector<TextItem>& texts,
                                              const HighlightedChoice& pair,
                                              const std::optional<Rect>& popup,
                                              const std::string& accept,
                                              std::vector<Observation>& seen) const {
  if (names_ask_topic(accept)) return true;
  // The ask: what the pop-up the pair closes says, else the page above the pair (its title and
  // the lines over the buttons).
  const Rect app = frame.app_area();
  const int top = std::min(pair.primary.top, pair.secondary.top);
  const Rect ask = (popup ? Rect{popup->left, popup->top, popup->right, top}
                          : Rect{app.left, app.top, app.right, top})
                       .intersect(app);
  if (ask.empty()) return false;
  auto names = [&](const TextItem& t) {
    return ask.contains(t.box.center_x(), t.box.center_y()) && names_ask_topic(t.text);
  };
  if (std::any_of(texts.begin(), texts.end(), names)) return true;
  if (frame.tree_is_complete() || !ocr_) return false;
  TextLineFinder lines(frame.density_dpi);
  lines.max_lines = 6;
  for (const TextItem& t : ocr_lines(frame.image, ask, lines, ocr_, reads_)) {
    if (!names(t)) continue;
    seen.push_back({"ask", t.box, t.text});
    return true;
  }
  return false;
}

bool PreselectedConsentRule::asks_for_decision(const Frame& frame,
                                               const std::vector<TextItem>& texts,
                                               const std::vector<Rect>& option_boxes) const {
  const Vocabulary& accept = profile_.vocabulary("accept");
  auto is_accept = [&](const TextItem& t) {
    const bool an_option =
        std::any_of(option_boxes.begin(), option_boxes.end(),
                    [&](const Rect& b) { return b.contains(t.box.center_x(), t.box.center_y()); });
    return !an_option && code_points(normalize_text(t.text)) <= 12 && accept.find_in(t.text);
  };
  if (std::any_of(texts.begin(), texts.end(), is_accept)) return true;
  if (frame.tree) return false;  // the tree had all the text there is
  // Screenshot only: decision buttons sit in the lower part of the screen.
  TextLineFinder lines(frame.density_dpi);
  lines.max_lines = 6;
  lines.max_aspect = 14;
  const Rect lower{0, frame.height() * 3 / 5, frame.width(), frame.height()};
  const std::vector<TextItem> read = ocr_lines(frame.image, lower, lines, ocr_, reads_);
  return std::any_of(read.begin(), read.end(), is_accept);
}

bool PreselectedConsentRule::is_decline_option(const std::string& text) const {
  const Vocabulary& decline = profile_.vocabulary("decline");
  const Vocabulary& skip = profile_.vocabulary("close");
  auto declines = [&](const std::string& t) { return decline.find_in(t) || skip.find_in(t); };
  const std::vector<std::string> words = latin_words(text);
  if (words.empty()) return code_points(normalize_text(text)) <= 10 && declines(text);
  if (words.size() > 6) return false;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i >= 2 && i + 1 != words.size()) continue;  // the first two words, or the last
    if (declines(words[i]) || (i + 1 < words.size() && declines(words[i] + " " + words[i + 1])))
      return true;
  }
  return false;
}

}  // namespace uiw::detectors
