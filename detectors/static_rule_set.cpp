#include "detectors/static_rule_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "common/user_regex.h"
#include "detectors/button_region.h"
#include "detectors/preselected_consent_rule.h"
#include "detectors/profile_detectors.h"
#include "detectors/prominence.h"
#include "detectors/screen_element.h"
#include "detectors/screen_text.h"
#include "detectors/ui_query.h"

namespace uiw::detectors {
namespace {

bool matches_any(const std::vector<std::regex>& patterns, const std::string& normalized) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::regex& re) { return std::regex_search(normalized, re); });
}

// The option a label belongs to: its clickable node in the tree, else the button drawn around it.
Rect option_box(const Frame& frame, const TextItem& t, const Rect& limit) {
  if (t.source == TextItem::Source::kTree && frame.tree) {
    const UiNode* n = smallest_node_at(
        *frame.tree, t.box.center_x(), t.box.center_y(),
        [&](const UiNode& c) { return c.clickable && c.bounds.area() * 3 < limit.area(); });
    return n ? n->bounds : t.box;
  }
  return button_region(frame.image, t.box, limit);
}

class FrameCheck {
 public:
  FrameCheck(const RuleProfile& profile, const std::vector<std::regex>& countdown, OcrService* ocr,
             const Frame& frame)
      : profile_(profile),
        countdown_patterns_(countdown),
        ocr_(ocr),
        frame_(frame),
        tree_complete_(frame.tree_is_complete()) {}

  FrameReport run() {
    find_surface();
    read_text();
    observe_prompts();
    if (!surface_) {
      // A splash or full-screen ad: the whole screen is the pop-up.
      std::vector<const Observation*> prompts = report_.all("shake_prompt");
      for (const Observation* o : report_.all("redirect_prompt")) prompts.push_back(o);
      if (countdown_ || !prompts.empty()) {
        surface_ = frame_.bounds();
        const std::string cue =
            countdown_ ? fmt::format("countdown '{}'", countdown_->text)
                       : fmt::format("{} '{}'", prompts.front()->kind, prompts.front()->detail);
        observe("popup", frame_.bounds(), "full-screen ad: " + cue);
      }
    }
    if (!surface_ && !frame_.tree) {
      if (const TextItem* ad = ad_disclosure_at_corner()) {
        surface_ = frame_.bounds();
        observe("popup", frame_.bounds(),
                fmt::format("full-screen ad: ad disclosure '{}' at a top corner", ad->text));
      }
    }
    if (!surface_ && full_screen_ad_in_tree()) {
      surface_ = frame_.bounds();
      observe("popup", frame_.bounds(),
              "full-screen ad: ad badge or call to action with a "
              "decline in the tree");
    }
    if (surface_) {
      closes_ = CloseControlFinder(profile_).find(frame_, *surface_, texts_);
      for (const CloseControl& c : closes_)
        observe(c.decline ? "decline" : "close_control", c.box,
                fmt::format("{} '{}' {:.1f} dp, contrast {:.2f}:1 ({})",
                            c.decline ? "decline" : "close", c.label, c.size_dp, c.contrast,
                            to_string(c.source)));
      check_countdown();
      check_no_close();
      check_close_size();
      check_close_contrast();
      check_hierarchy();
    }
    check_preselected_consent();
    return std::move(report_);
  }

 private:
  void observe(std::string kind, const Rect& box, std::string detail) {
    report_.observations.push_back({std::move(kind), box, std::move(detail)});
  }

  bool enabled(std::string_view rule) const { return profile_.enabled(rule); }

  // The pop-up: a dialog window in the tree, else what the pixels show (dimmed card, bottom
  // sheet, full-screen interstitial, inline nag banner). Banners are reported but are page
  // content, not pop-ups: the close rules do not apply to them.
  void find_surface() {
    if (auto window = frame_.tree ? dialog_window(*frame_.tree, frame_.bounds()) : std::nullopt) {
      surface_ = *window;
      observe("popup", *window, "dialog window in the UI tree");
      return;
    }
    // With a complete tree the pixels only have to show the surface; its words are in the tree.
    const PopupSurfaceDetector popups =
        popup_surface_detector(profile_, frame_.density_dpi, tree_complete_ ? nullptr : ocr_);
    const std::vector<PopupSurface> found = popups.detect(frame_.image, &reads_);
    if (found.empty()) return;
    const PopupSurface& p = found.front();
    std::string cues;
    for (const std::string& c : p.cues) cues += (cues.empty() ? "" : "; ") + c;
    observe("popup", p.box,
            fmt::format("{} (confidence {:.2f}): {}", to_string(p.kind), p.confidence, cues));
    if (p.kind != PopupSurface::Kind::kBanner) surface_ = p.box;
  }

  // Tree text of the whole screen when there is a tree. OCR only where pop-ups put their
  // choices — the pop-up's lower half, the band under it and its top corners — or, without a
  // pop-up and without a tree, the screen's top corners and its bottom right (skip, countdown,
  // ad badge): region OCR costs tens of ms per region and a whole frame costs seconds.
  void read_text() {
    if (frame_.tree) texts_ = tree_text(*frame_.tree, frame_.bounds());
    std::vector<std::pair<Rect, size_t>> regions;  // where, and how many lines at most
    if (surface_) {
      const bool tree_covers = std::any_of(texts_.begin(), texts_.end(), [&](const TextItem& t) {
        return surface_->contains(t.box.center_x(), t.box.center_y());
      });
      if (!tree_covers) {
        // A full-screen surface still leaves the system bars to the system.
        const Rect s = surface_->intersect(frame_.app_area());
        const Rect area = CloseControlFinder::search_area(frame_, s).intersect(frame_.app_area());
        const int corner_w = s.width() / 4, corner_h = std::max(s.height() / 6, area.top - s.top);
        regions.push_back({Rect{s.left, s.top + s.height() / 2, s.right, s.bottom}, 5});
        regions.push_back({Rect{area.left, s.bottom, area.right, area.bottom}, 2});
        regions.push_back({Rect{s.left, area.top, s.left + corner_w, s.top + corner_h}, 2});
        regions.push_back({Rect{s.right - corner_w, area.top, s.right, s.top + corner_h}, 2});
      }
    } else if (!frame_.tree) {
      const int w = frame_.width(), h = frame_.height(), top = frame_.app_area().top;
      regions.push_back({Rect{0, top, w * 7 / 20, top + h / 11}, 2});
      regions.push_back({Rect{w * 13 / 20, top, w, top + h / 11}, 2});
      // Splash ads also put the skip and its countdown low on the right, on the logo strip
      // ("SKIP 3s"); a full-screen app draws over the navigation bar's place.
      regions.push_back({Rect{w * 13 / 20, h - h / 11, w, h}, 2});
    }
    if (!ocr_) return;
    // Controls have short labels; a few per region keeps OCR to a fraction of a second.
    TextLineFinder labels(frame_.density_dpi);
    labels.max_aspect = 14;
    for (const auto& [r, max_lines] : regions) {
      labels.max_lines = max_lines;
      const Rect clipped = r.intersect(frame_.bounds());
      // A line whose ink runs into a side of the region that lies inside the screen is a word
      // cut in two, and OCR reads its stub as something else ("…ns" as a "1S" countdown,
      // "Uplo|ad" as an ad badge): such lines are not read, nor text overlapping them taken.
      std::vector<Rect> lines, cut;
      for (const Rect& line : labels.find(frame_.image, clipped)) {
        const bool is_cut = (clipped.left > 0 && line.left <= clipped.left) ||
                            (clipped.right < frame_.width() && line.right >= clipped.right);
        (is_cut ? cut : lines).push_back(line);
      }
      for (TextItem& t : ocr_lines(frame_.image, lines, ocr_, &reads_)) {
        const bool on_cut = std::any_of(cut.begin(), cut.end(), [&](const Rect& line) {
          return row_overlap(line, t.box) >= 0.5 && !line.intersect(t.box).empty();
        });
        if (!on_cut) texts_.push_back(std::move(t));
      }
    }
  }

  void observe_prompts() {
    const Vocabulary& shake = profile_.vocabulary("shake_prompt");
    const Vocabulary& redirect = profile_.vocabulary("redirect_prompt");
    const Vocabulary& blocking = profile_.vocabulary("link_blocking");
    const Vocabulary& badge = profile_.vocabulary("ad_badge");
    for (const TextItem& t : texts_) {
      const std::string norm = normalize_text(t.text);
      if (norm.empty()) continue;
      if (matches_any(countdown_patterns_, norm)) {
        observe("countdown", t.box, t.text);
        if (!countdown_) countdown_ = t;
      }
      if (shake.find_in(t.text)) observe("shake_prompt", t.box, t.text);
      if (redirect.find_in(t.text)) observe("redirect_prompt", t.box, t.text);
      if (blocking.find_in(t.text)) observe("link_blocking", t.box, t.text);
      if (badge.match_label(t.text)) observe("ad_badge", t.box, t.text);
    }
  }

  // An interstitial the tree describes: an ad badge ("AdChoices", "广告"), or a call to action
  // offered with a way to decline ("Install" / "No thanks"). Inside a list they belong to one
  // row (a feed's ad card, a store row's "Install"), not to the screen.
  bool full_screen_ad_in_tree() const {
    if (!tree_complete_) return false;
    const std::unordered_set<const UiNode*> rows = nodes_in_lists(*frame_.tree);
    auto on_page = [&](const TextItem& t) {
      return t.source == TextItem::Source::kTree && !rows.count(t.node) &&
             code_points(normalize_text(t.text)) <= 12;
    };
    const Vocabulary& badge = profile_.vocabulary("ad_badge");
    const Vocabulary& cta = profile_.vocabulary("call_to_action");
    const Vocabulary& decline = profile_.vocabulary("decline");
    auto any = [&](auto&& pred) { return std::any_of(texts_.begin(), texts_.end(), pred); };
    if (any([&](const TextItem& t) { return on_page(t) && badge.match_label(t.text); }))
      return true;
    return any([&](const TextItem& t) { return on_page(t) && cta.find_in(t.text); }) &&
           any([&](const TextItem& t) { return on_page(t) && decline.match_label(t.text); });
  }

  // Screenshot only, no pop-up in the pixels: what the top corners say. Splash ads, interstitials
  // and video ads disclose themselves there ("Ad", "广告", "Visit advertiser"), as the pixel search
  // takes an ad badge on a corner button for one; a store's "Google Play" title is a badge of the
  // ad_badge list but discloses nothing, hence the narrower list.
  const TextItem* ad_disclosure_at_corner() const {
    const Vocabulary& disclosure = profile_.vocabulary("ad_disclosure");
    for (const TextItem& t : texts_)
      if (t.source == TextItem::Source::kOcr && t.box.bottom < frame_.height() / 6 &&
          disclosure.match_label(t.text))
        return &t;
    return nullptr;
  }

  bool has_close_mark() const {
    return std::any_of(closes_.begin(), closes_.end(),
                       [](const CloseControl& c) { return !c.decline; });
  }

  // POP-08: a countdown and nothing to close with yet ("广告 5s"); "跳过 5" is a skip that
  // counts down, which is allowed.
  void check_countdown() {
    if (!countdown_ || !enabled("POP-08") || !closes_.empty()) return;
    Finding f = profile_.make_finding(
        "POP-08", fmt::format("countdown '{}' with no close or skip control at this moment",
                              countdown_->text));
    f.boxes = {countdown_->box};
    report_.findings.push_back(std::move(f));
  }

  // POP-01: a pop-up with no close mark, skip or decline option anywhere near it. A chooser (a
  // sheet or dialog listing options to pick from: an album picker, a sort order) closes with the
  // pick itself and pushes nothing.
  void check_no_close() {
    if (!closes_.empty() || countdown_ || !enabled("POP-01")) return;
    if (const int options = choices_on_surface(); options >= 2) {
      observe("chooser", *surface_, fmt::format("{} options to pick from", options));
      return;
    }
    Finding f = profile_.make_finding(
        "POP-01", "pop-up with no close, skip or decline control in the tree or the pixels");
    f.boxes = {*surface_};
    report_.findings.push_back(std::move(f));
  }

  // Checkable options on the pop-up: from the tree when it describes the screen, else the
  // selection widgets in its pixels.
  int choices_on_surface() const {
    const Rect& s = *surface_;
    auto on_surface = [&](const Rect& b) { return s.contains(b.center_x(), b.center_y()); };
    if (tree_complete_) {
      return static_cast<int>(
          frame_.tree
              ->find_all([&](const UiNode& n) { return n.checkable && on_surface(n.bounds); })
              .size());
    }
    const Rect region = s.intersect(frame_.app_area());
    if (region.empty()) return 0;
    return static_cast<int>(
        find_selection_widgets(profile_, frame_.image, region, frame_.density_dpi).size());
  }

  // POP-02: the largest close mark is still smaller than the profile's minimum.
  void check_close_size() {
    if (!has_close_mark() || !enabled("POP-02")) return;
    const CloseControl* best = nullptr;
    for (const CloseControl& c : closes_)
      if (!c.decline && (!best || c.size_dp > best->size_dp)) best = &c;
    const double min_dp = profile_.param("POP-02", "min_size_dp");
    if (best->size_dp >= min_dp) return;
    const std::string what =
        best->source == CloseControl::Source::kGlyph
            ? fmt::format(
                  "× drawn in pixels (not in the tree): ink {:.1f}×{:.1f} dp, tap target "
                  "about {:.1f} dp",
                  frame_.to_dp(best->box.width()), frame_.to_dp(best->box.height()), best->size_dp)
            : fmt::format("close control '{}' is {:.1f}×{:.1f} dp", best->label,
                          frame_.to_dp(best->box.width()), frame_.to_dp(best->box.height()));
    Finding f = profile_.make_finding("POP-02", fmt::format("{}, under {:g} dp", what, min_dp));
    f.boxes = {best->box};
    f.value = best->size_dp;
    f.threshold = min_dp;
    f.unit = "dp";
    report_.findings.push_back(std::move(f));
  }

  // POP-03: even the most visible close mark is fainter than the profile's contrast minimum.
  void check_close_contrast() {
    if (!has_close_mark() || !enabled("POP-03")) return;
    const CloseControl* best = nullptr;
    for (const CloseControl& c : closes_)
      if (!c.decline && (!best || c.contrast > best->contrast)) best = &c;
    const double min_ratio = profile_.param("POP-03", "min_contrast");
    if (best->contrast >= min_ratio) return;
    Finding f = profile_.make_finding(
        "POP-03", fmt::format("close control '{}' has contrast {:.2f}:1 against its background, "
                              "under {:g}:1",
                              best->label, best->contrast, min_ratio));
    f.boxes = {best->box};
    f.value = best->contrast;
    f.threshold = min_ratio;
    f.unit = ":1";
    report_.findings.push_back(std::move(f));
  }

  // POP-04: the most visible decline option against the most visible other choice.
  void check_hierarchy() {
    if (!enabled("POP-04")) return;
    const Rect area = CloseControlFinder::search_area(frame_, *surface_);
    const Vocabulary& accept_words = profile_.vocabulary("accept");
    std::optional<std::pair<Rect, Prominence>> decline, accept;
    for (const CloseControl& c : closes_) {
      if (!c.decline) continue;
      Prominence p = prominence(frame_.image, c.box);
      if (!decline || p.score > decline->second.score) decline = {{c.box, p}};
    }
    if (!decline) return;
    for (const TextItem& t : texts_) {
      if (!area.contains(t.box.center_x(), t.box.center_y())) continue;
      if (code_points(normalize_text(t.text)) > 12 || !accept_words.find_in(t.text)) continue;
      const Rect box = option_box(frame_, t, *surface_);
      if (box.contains(decline->first.center_x(), decline->first.center_y())) continue;
      Prominence p = prominence(frame_.image, box);
      if (!accept || p.score > accept->second.score) accept = {{box, p}};
    }
    if (!accept) return;
    observe("accept", accept->first, fmt::format("prominence {:.0f}", accept->second.score));
    const double ratio = prominence_ratio(decline->second, accept->second);
    const double min_ratio = profile_.param("POP-04", "min_prominence_ratio");
    if (ratio >= min_ratio) return;
    Finding f = profile_.make_finding(
        "POP-04", fmt::format("decline option is {:.2f}× as prominent as the accept option (area × "
                              "contrast × saturation), under {:g}",
                              ratio, min_ratio));
    f.boxes = {decline->first, accept->first};
    f.value = ratio;
    f.threshold = min_ratio;
    f.unit = "ratio";
    report_.findings.push_back(std::move(f));
  }

  void check_preselected_consent() {
    for (Finding& f : PreselectedConsentRule(profile_, ocr_, &reads_)
                          .check(frame_, texts_, surface_, report_.observations))
      report_.findings.push_back(std::move(f));
  }

  const RuleProfile& profile_;
  const std::vector<std::regex>& countdown_patterns_;
  OcrService* ocr_;
  const Frame& frame_;
  const bool tree_complete_;  // walks the whole tree: once per frame
  // What this frame's checks have read with OCR: a later read of the same ink takes it from here.
  std::vector<ReadRegion> reads_;
  FrameReport report_;
  std::optional<Rect> surface_;
  std::vector<TextItem> texts_;
  std::vector<CloseControl> closes_;
  std::optional<TextItem> countdown_;
};

}  // namespace

bool FrameReport::has(std::string_view kind) const {
  return std::any_of(observations.begin(), observations.end(),
                     [&](const Observation& o) { return o.kind == kind; });
}

std::vector<const Observation*> FrameReport::all(std::string_view kind) const {
  std::vector<const Observation*> out;
  for (const Observation& o : observations)
    if (o.kind == kind) out.push_back(&o);
  return out;
}

nlohmann::json to_json(const FrameReport& report) {
  nlohmann::json observations = nlohmann::json::array();
  for (const Observation& o : report.observations)
    observations.push_back({{"kind", o.kind},
                            {"box", {o.box.left, o.box.top, o.box.width(), o.box.height()}},
                            {"detail", o.detail}});
  return {{"findings", to_json(report.findings)}, {"observations", observations}};
}

StaticRuleSet::StaticRuleSet(const RuleProfile& profile, OcrService* ocr)
    : profile_(profile), ocr_(ocr) {
  for (const std::string& p : profile_.vocabulary("countdown").terms())
    countdown_.push_back(compile_user_regex(p, std::regex::ECMAScript | std::regex::icase));
}

FrameReport StaticRuleSet::check(const Frame& frame) const {
  const cv::Mat bgr = as_bgr(frame.image);
  if (bgr.empty() || bgr.cols < 16 || bgr.rows < 16) return {};
  // A screenshot-only landscape frame may be a screen recording of a portrait phone: the rules
  // run on the phone's screen, at the density its width implies (the recording is scaled, so
  // the device's density says nothing about its pixels), and boxes go back to frame px.
  if (!frame.tree && bgr.cols > bgr.rows) {
    const Rect phone = phone_screen(bgr);
    if (!(phone == frame.bounds())) {
      Frame cropped;
      cropped.image = bgr(to_cv(phone));
      cropped.density_dpi = guess_density_dpi(phone.width(), phone.height());
      cropped.action = frame.action;
      FrameReport report = FrameCheck(profile_, countdown_, ocr_, cropped).run();
      auto shift = [&](Rect& r) {
        r = Rect{r.left + phone.left, r.top + phone.top, r.right + phone.left,
                 r.bottom + phone.top};
      };
      for (Finding& f : report.findings)
        for (Rect& r : f.boxes) shift(r);
      for (Observation& o : report.observations) shift(o.box);
      return report;
    }
  }
  if (bgr.data == frame.image.data) return FrameCheck(profile_, countdown_, ocr_, frame).run();
  Frame converted = frame;  // BGRA or grey screenshots only: the usual BGR frame is not copied
  converted.image = bgr;
  return FrameCheck(profile_, countdown_, ocr_, converted).run();
}

}  // namespace uiw::detectors
