#include "harness/selector_resolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>
#include <string_view>

#include "common/error.h"
#include "common/user_regex.h"
#include "detectors/ocr_service.h"
#include "detectors/text_line_finder.h"
#include "detectors/ui_query.h"
#include "detectors/vocabulary.h"

namespace uiw::harness {

using detectors::Frame;
using detectors::OcrWord;
using detectors::Rect;

// One text line read from the pixels, with its words (and their boxes) kept: a selector may
// name one word of a line ("跳过" in "跳过 5"), and tapping that word's box is what a user does.
struct SelectorResolver::OcrLine {
  std::string text;  // words joined as ocr_lines joins them (Latin spaced, CJK not)
  Rect box;
  std::vector<OcrWord> words;
};

struct SelectorResolver::Reading {
  size_t hash = 0;
  int rows = 0, cols = 0, density = 0;
  std::vector<OcrLine> lines;
};

// What one find_all call shares between a selector and its anchor: the OCR reading.
struct SelectorResolver::Context {
  std::shared_ptr<const Reading> reading;
};

namespace {

// Pixel matches count only in the app's part of the screen: the system bars' clock and icons
// read as text and correlate with small templates, but no scenario means them.
bool in_app_area(const Frame& frame, const ElementMatch& m) {
  return frame.app_area().contains(m.bounds.center_x(), m.bounds.center_y());
}

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Rect{std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right),
              std::max(a.bottom, b.bottom)};
}

bool ascii_alnum(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && std::isalnum(u);
}

// The text's code points as UTF-8 strings (invalid bytes pass as single bytes: normalize_text
// drops them later).
std::vector<std::string> split_code_points(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xE  ? 3
                 : (b >> 3) == 0x1E ? 4
                                    : 1;
    len = std::min(len, s.size() - i);
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

void append_word(std::string& text, const std::string& word) {
  if (!text.empty() && ascii_alnum(text.back()) && !word.empty() && ascii_alnum(word.front()))
    text += ' ';
  text += word;
}

// A normalised code point of an OCR line, with the word it came from and whether a word or
// script boundary precedes it.
struct LineChar {
  std::string ch;
  size_t word = 0;
  bool ascii = false;
  bool boundary = false;
};

std::vector<LineChar> line_chars(const std::vector<OcrWord>& words) {
  std::vector<LineChar> out;
  bool separator = true;  // the start of the line or a dropped space/punctuation mark
  for (size_t w = 0; w < words.size(); ++w) {
    for (const std::string& raw : split_code_points(words[w].text)) {
      const std::string norm = detectors::normalize_text(raw);
      if (norm.empty()) {
        separator = true;
        continue;
      }
      for (const std::string& ch : split_code_points(norm)) {
        LineChar c{ch, w, ch.size() == 1 && ascii_alnum(ch[0]), separator};
        if (!out.empty()) {
          const LineChar& prev = out.back();
          if (prev.ascii != c.ascii) c.boundary = true;
          // Tesseract splits Latin words at spaces but CJK text anywhere: between CJK words
          // only a visible gap (about a space wide) separates runs.
          if (prev.word != w && !c.boundary) {
            const Rect& a = words[prev.word].box;
            const Rect& b = words[w].box;
            const int gap = b.left - a.right;
            c.boundary = c.ascii || gap * 10 >= 3 * std::max(a.height(), b.height());
          }
        } else {
          c.boundary = true;
        }
        out.push_back(std::move(c));
        separator = false;
      }
    }
  }
  return out;
}

// Occurrences of `target` (normalised) in the line; with `whole_words`, only those starting
// and ending at a boundary. Each gives the words it spans.
std::vector<std::pair<size_t, size_t>> find_in_line(const std::vector<LineChar>& chars,
                                                    const std::vector<std::string>& target,
                                                    bool whole_words) {
  std::vector<std::pair<size_t, size_t>> out;
  const size_t m = target.size();
  if (m == 0 || chars.size() < m) return out;
  for (size_t i = 0; i + m <= chars.size();) {
    bool equal = true;
    for (size_t k = 0; k < m && equal; ++k) equal = chars[i + k].ch == target[k];
    if (equal && whole_words)
      equal = chars[i].boundary && (i + m == chars.size() || chars[i + m].boundary);
    if (!equal) {
      ++i;
      continue;
    }
    out.emplace_back(chars[i].word, chars[i + m - 1].word);
    i += m;
  }
  return out;
}

ElementMatch ocr_match(const std::vector<OcrWord>& words, size_t first, size_t last) {
  ElementMatch m;
  m.source = "ocr";
  double confidence = 0;
  for (size_t w = first; w <= last; ++w) {
    m.bounds = unite(m.bounds, words[w].box);
    append_word(m.text, words[w].text);
    confidence += words[w].confidence;
  }
  m.score = confidence / static_cast<double>(last - first + 1) / 100.0;
  return m;
}

// Reading order: rows top to bottom (elements sharing half their height are one row), each row
// left to right.
void sort_reading_order(std::vector<ElementMatch>& v) {
  std::stable_sort(v.begin(), v.end(), [](const ElementMatch& a, const ElementMatch& b) {
    return a.bounds.top != b.bounds.top ? a.bounds.top < b.bounds.top
                                        : a.bounds.left < b.bounds.left;
  });
  for (size_t i = 0; i < v.size();) {
    size_t j = i + 1;
    while (j < v.size() && detectors::row_overlap(v[i].bounds, v[j].bounds) >= 0.5) ++j;
    std::stable_sort(
        v.begin() + static_cast<long>(i), v.begin() + static_cast<long>(j),
        [](const ElementMatch& a, const ElementMatch& b) { return a.bounds.left < b.bounds.left; });
    i = j;
  }
}

double center_distance(const Rect& a, const Rect& b) {
  return std::hypot(a.center_x() - b.center_x(), a.center_y() - b.center_y());
}

double edge_distance(const Rect& a, const Rect& b) {
  const int dx = std::max({0, a.left - b.right, b.left - a.right});
  const int dy = std::max({0, a.top - b.bottom, b.top - a.bottom});
  return std::hypot(dx, dy);
}

bool contains_rect(const Rect& outer, const Rect& inner) {
  return inner.left >= outer.left && inner.top >= outer.top && inner.right <= outer.right &&
         inner.bottom <= outer.bottom;
}

bool same_row(const Rect& a, const Rect& b) {
  return detectors::row_overlap(a, b) >= 0.3 ||
         (b.center_y() >= a.top && b.center_y() < a.bottom) ||
         (a.center_y() >= b.top && a.center_y() < b.bottom);
}

bool same_column(const Rect& a, const Rect& b) {
  return std::min(a.right, b.right) > std::max(a.left, b.left);
}

// Keeps the elements of `primary` whose bounds hold the centre of an element of `narrowing`.
std::vector<ElementMatch> keep_holding(std::vector<ElementMatch> primary,
                                       const std::vector<ElementMatch>& narrowing) {
  std::erase_if(primary, [&](const ElementMatch& p) {
    return std::none_of(narrowing.begin(), narrowing.end(), [&](const ElementMatch& n) {
      return p.bounds.contains(n.bounds.center_x(), n.bounds.center_y());
    });
  });
  return primary;
}

size_t hash_image(const cv::Mat& image) {
  const cv::Mat continuous = image.isContinuous() ? image : image.clone();
  const std::string_view bytes(reinterpret_cast<const char*>(continuous.data),
                               continuous.total() * continuous.elemSize());
  return std::hash<std::string_view>{}(bytes);
}

// ---- template matching ----

struct Candidate {
  double score = 0;
  double scale = 1;
  Rect box;
};

bool overlapping(const Rect& a, const Rect& b) {
  return detectors::iou(a, b) > 0.3 || a.contains(b.center_x(), b.center_y()) ||
         b.contains(a.center_x(), a.center_y());
}

// Best first; drops any candidate overlapping a better one.
std::vector<Candidate> suppress(std::vector<Candidate> c, size_t keep) {
  std::sort(c.begin(), c.end(),
            [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  std::vector<Candidate> out;
  for (const Candidate& x : c) {
    if (out.size() >= keep) break;
    if (std::none_of(out.begin(), out.end(),
                     [&](const Candidate& y) { return overlapping(x.box, y.box); }))
      out.push_back(x);
  }
  return out;
}

cv::Mat resized(const cv::Mat& src, cv::Size size) {
  cv::Mat out;
  const bool shrink = size.width < src.cols;
  cv::resize(src, out, size, 0, 0, shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

}  // namespace

SelectorResolver::SelectorResolver(detectors::OcrService* ocr) : ocr_(ocr) {}
SelectorResolver::~SelectorResolver() = default;

std::vector<ElementMatch> SelectorResolver::find_all(const Selector& selector,
                                                     const Frame& frame) const {
  Context ctx;
  return resolve(selector, frame, ctx);
}

std::optional<ElementMatch> SelectorResolver::find(const Selector& selector,
                                                   const Frame& frame) const {
  std::vector<ElementMatch> all = find_all(selector, frame);
  if (selector.index < 0 || static_cast<size_t>(selector.index) >= all.size()) return std::nullopt;
  return std::move(all[static_cast<size_t>(selector.index)]);
}

std::vector<ElementMatch> SelectorResolver::resolve(const Selector& selector, const Frame& frame,
                                                    Context& ctx) const {
  std::vector<ElementMatch> own = own_matches(selector, frame, ctx);
  if (!selector.relative) return own;
  if (!selector.relative->anchor)
    throw Error(ErrorKind::kConfig,
                fmt::format("selector `{}`: relative without an anchor", selector.describe()));
  const Selector& anchor_selector = *selector.relative->anchor;
  const std::vector<ElementMatch> anchors = resolve(anchor_selector, frame, ctx);
  if (anchor_selector.index < 0 || static_cast<size_t>(anchor_selector.index) >= anchors.size())
    return {};
  const ElementMatch& anchor = anchors[static_cast<size_t>(anchor_selector.index)];
  const Rect& a = anchor.bounds;
  // Edges may touch or overlap by a few px (a divider, rounding) and still be "below".
  const int tol = std::max(2, static_cast<int>(std::lround(frame.to_px(4))));

  std::vector<ElementMatch> kept;
  for (ElementMatch& c : own) {
    const Rect& b = c.bounds;
    // The anchor itself, and what holds it (its row, its dialog), are not "next to" it.
    if ((anchor.node && c.node == anchor.node) || b == a || contains_rect(b, a)) continue;
    bool ok = false;
    switch (selector.relative->relation) {
      case Selector::Relation::kBelow:
        ok = b.top >= a.bottom - tol;
        break;
      case Selector::Relation::kAbove:
        ok = b.bottom <= a.top + tol;
        break;
      case Selector::Relation::kLeftOf:
        ok = b.right <= a.left + tol && same_row(a, b);
        break;
      case Selector::Relation::kRightOf:
        ok = b.left >= a.right - tol && same_row(a, b);
        break;
      case Selector::Relation::kNear: {
        const double reach = std::max(1.5 * std::max(a.width(), a.height()), frame.to_px(48));
        ok = center_distance(a, b) <= reach;
        break;
      }
    }
    if (ok) kept.push_back(std::move(c));
  }
  const auto relation = selector.relative->relation;
  if (relation == Selector::Relation::kBelow || relation == Selector::Relation::kAbove) {
    // In the anchor's column when anything is; otherwise whatever is nearest on that side.
    if (std::any_of(kept.begin(), kept.end(),
                    [&](const ElementMatch& c) { return same_column(a, c.bounds); }))
      std::erase_if(kept, [&](const ElementMatch& c) { return !same_column(a, c.bounds); });
  }
  const bool near = relation == Selector::Relation::kNear;
  std::stable_sort(kept.begin(), kept.end(), [&](const ElementMatch& x, const ElementMatch& y) {
    const double ex = near ? center_distance(a, x.bounds) : edge_distance(a, x.bounds);
    const double ey = near ? center_distance(a, y.bounds) : edge_distance(a, y.bounds);
    if (ex != ey) return ex < ey;
    return center_distance(a, x.bounds) < center_distance(a, y.bounds);
  });
  return kept;
}

std::vector<ElementMatch> SelectorResolver::own_matches(const Selector& sel, const Frame& frame,
                                                        Context& ctx) const {
  const bool text_only =
      (sel.text || sel.text_regex) && !sel.id && !sel.desc && !sel.class_name && !sel.xpath;
  const bool tree_fields =
      sel.text || sel.text_regex || sel.id || sel.desc || sel.class_name || sel.xpath;
  if (!tree_fields && !sel.image && !sel.ocr)
    throw Error(ErrorKind::kConfig,
                fmt::format("selector `{}` names nothing to look for", sel.describe()));

  std::optional<std::regex> regex;
  if (sel.text_regex) {
    try {
      regex = compile_user_regex(*sel.text_regex);
    } catch (const std::regex_error& e) {
      throw Error(ErrorKind::kConfig, fmt::format("selector `{}`: bad text_regex '{}': {}",
                                                  sel.describe(), *sel.text_regex, e.what()));
    }
  }

  std::optional<std::vector<ElementMatch>> result;
  if (tree_fields) {
    std::vector<ElementMatch> matches;
    if (frame.tree) {
      detectors::NodeQuery q;
      q.text = sel.text;
      q.text_regex = regex;
      q.resource_id = sel.id;
      q.content_desc = sel.desc;
      q.class_name = sel.class_name;
      std::vector<const detectors::UiNode*> nodes;
      if (sel.xpath) {
        try {
          nodes = detectors::select_xpath(*frame.tree, *sel.xpath);
        } catch (const Error& e) {
          throw Error(ErrorKind::kConfig,
                      fmt::format("selector `{}`: {}", sel.describe(), e.what()));
        }
        std::erase_if(nodes, [&](const detectors::UiNode* n) { return !q.matches(*n); });
      } else {
        nodes = detectors::find_nodes(*frame.tree, q);
      }
      for (const detectors::UiNode* n : nodes) {
        // The part on screen: a node scrolled half out is tapped in its visible half.
        const Rect visible = frame.image.empty() ? n->bounds : n->bounds.intersect(frame.bounds());
        if (visible.empty()) continue;
        matches.push_back({visible, "tree", n, 1.0, n->text.empty() ? n->content_desc : n->text});
      }
    }
    const bool tree_cannot_answer = !frame.tree || (matches.empty() && !frame.tree_is_complete());
    if (text_only && tree_cannot_answer && ocr_ != nullptr) {
      const std::vector<OcrLine>& lines = ocr_lines(frame, ctx);
      for (const OcrLine& line : lines) {
        if (sel.text) {
          // The whole line, or the text as a word (Latin) or run (CJK) of its own in it.
          const std::vector<LineChar> chars = line_chars(line.words);
          const std::vector<std::string> target =
              split_code_points(detectors::normalize_text(*sel.text));
          for (auto [first, last] : find_in_line(chars, target, true)) {
            ElementMatch m = ocr_match(line.words, first, last);
            if (regex && !std::regex_match(m.text, *regex) && !std::regex_match(line.text, *regex))
              continue;
            matches.push_back(std::move(m));
          }
        } else if (regex) {
          // OCR spacing between CJK characters is unreliable: also try the line without spaces.
          std::string compact = line.text;
          std::erase(compact, ' ');
          if (std::regex_match(line.text, *regex) || std::regex_match(compact, *regex)) {
            ElementMatch m = ocr_match(line.words, 0, line.words.size() - 1);
            m.bounds = line.box;
            m.text = line.text;
            matches.push_back(std::move(m));
          }
        }
      }
    }
    result = std::move(matches);
  }

  if (sel.image) {
    std::vector<ElementMatch> found = image_matches(sel, frame);
    result = result ? keep_holding(std::move(*result), found) : std::move(found);
  }

  if (sel.ocr) {
    std::vector<ElementMatch> found;
    if (ocr_ != nullptr) {
      const std::vector<std::string> target =
          split_code_points(detectors::normalize_text(*sel.ocr));
      for (const OcrLine& line : ocr_lines(frame, ctx))
        for (auto [first, last] : find_in_line(line_chars(line.words), target, false))
          found.push_back(ocr_match(line.words, first, last));
    }
    result = result ? keep_holding(std::move(*result), found) : std::move(found);
  }

  sort_reading_order(*result);
  return std::move(*result);
}

const std::vector<SelectorResolver::OcrLine>& SelectorResolver::ocr_lines(const Frame& frame,
                                                                          Context& ctx) const {
  if (ctx.reading) return ctx.reading->lines;
  const cv::Mat image = detectors::as_bgr(frame.image);
  auto reading = std::make_shared<Reading>();
  reading->rows = image.rows;
  reading->cols = image.cols;
  reading->density = frame.density_dpi;
  reading->hash = image.empty() ? 0 : hash_image(image);
  {
    std::lock_guard lock(mutex_);
    if (last_reading_ && last_reading_->hash == reading->hash &&
        last_reading_->rows == reading->rows && last_reading_->cols == reading->cols &&
        last_reading_->density == reading->density) {
      ctx.reading = last_reading_;
      return ctx.reading->lines;
    }
  }
  if (!image.empty() && ocr_ != nullptr) {
    // Lines found in pixels and read one by one (as detectors::ocr_lines does), but keeping
    // the word boxes; every line, not a detector's budget of them: the element may be anywhere.
    detectors::TextLineFinder finder(frame.density_dpi);
    finder.max_lines = 256;
    std::vector<OcrLine> pieces;
    const Rect app = frame.app_area();
    for (const Rect& roi : finder.find(image, frame.bounds())) {
      if (!app.contains(roi.center_x(), roi.center_y())) continue;  // see in_app_area
      std::map<int, OcrLine> by_line;
      for (OcrWord& w : ocr_->recognize(image, roi, {.drop_border_ink = false})) {
        OcrLine& l = by_line[w.line];
        append_word(l.text, w.text);
        l.box = unite(l.box, w.box);
        l.words.push_back(std::move(w));
      }
      for (auto& [n, l] : by_line)
        if (!detectors::normalize_text(l.text).empty()) pieces.push_back(std::move(l));
    }
    // Pieces of one label found apart ("广告  5s" with a wide gap) are one line: same row, gap
    // under twice the text height (the rule detectors::ocr_lines uses).
    std::sort(pieces.begin(), pieces.end(),
              [](const OcrLine& a, const OcrLine& b) { return a.box.left < b.box.left; });
    for (OcrLine& p : pieces) {
      auto it = std::find_if(reading->lines.begin(), reading->lines.end(), [&](const OcrLine& j) {
        const int h = std::min(j.box.height(), p.box.height());
        const int gap = p.box.left - j.box.right;
        return detectors::row_overlap(j.box, p.box) >= 0.6 && gap >= -h / 2 && gap <= 2 * h;
      });
      if (it == reading->lines.end()) {
        reading->lines.push_back(std::move(p));
        continue;
      }
      append_word(it->text, p.text);
      it->box = unite(it->box, p.box);
      for (OcrWord& w : p.words) it->words.push_back(std::move(w));
    }
  }
  std::lock_guard lock(mutex_);
  last_reading_ = reading;
  ctx.reading = std::move(reading);
  return ctx.reading->lines;
}

cv::Mat SelectorResolver::load_template(const Selector& sel) const {
  const std::string& path = *sel.image;
  {
    std::lock_guard lock(mutex_);
    if (auto it = templates_.find(path); it != templates_.end()) return it->second;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(
        ErrorKind::kNotFound,
        fmt::format("selector `{}`: image template '{}' does not exist", sel.describe(), path));
  cv::Mat bgr = cv::imread(path, cv::IMREAD_COLOR);
  if (bgr.empty())
    throw Error(ErrorKind::kConfig,
                fmt::format("selector `{}`: image template '{}' cannot be read as an image",
                            sel.describe(), path));
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, stddev;
  cv::meanStdDev(grey, mean, stddev);
  // A flat patch correlates with nothing (or with every flat patch of the screen).
  if (stddev[0] < 2.0 || bgr.cols < 4 || bgr.rows < 4)
    throw Error(ErrorKind::kConfig,
                fmt::format("selector `{}`: image template '{}' has no detail to match ({}×{} px)",
                            sel.describe(), path, bgr.cols, bgr.rows));
  std::lock_guard lock(mutex_);
  templates_.emplace(path, bgr);
  return bgr;
}

std::vector<ElementMatch> SelectorResolver::image_matches(const Selector& sel,
                                                          const Frame& frame) const {
  const cv::Mat tpl = load_template(sel);
  const cv::Mat image = detectors::as_bgr(frame.image);
  std::vector<ElementMatch> out;
  if (image.empty()) return out;
  const double threshold = sel.image_threshold;

  cv::Mat grey, tpl_grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(tpl, tpl_grey, cv::COLOR_BGR2GRAY);
  const double base = std::min(1.0, 200.0 / std::min(image.cols, image.rows));
  std::map<int, cv::Mat> levels;  // grey frame by factor in 1/1000
  auto level_at = [&](double f) -> const cv::Mat& {
    cv::Mat& level = levels[static_cast<int>(std::lround(f * 1000))];
    if (level.empty()) {
      if (f < 1) {
        cv::resize(grey, level, cv::Size(), f, f, cv::INTER_AREA);
      } else {
        level = grey;
      }
    }
    return level;
  };
  // The best place for the template at `scale` on `level` (the frame shrunk by `f`) within
  // `margin` level px of `around` (full-res px); score -1 when it does not fit.
  auto match_near = [](const cv::Mat& level, const cv::Mat& t, double f, double scale,
                       const Rect& around, int margin) {
    Candidate r{-1, scale, {}};
    const cv::Size ts(static_cast<int>(std::lround(t.cols * scale * f)),
                      static_cast<int>(std::lround(t.rows * scale * f)));
    if (ts.width < 4 || ts.height < 4) return r;
    const cv::Rect window = cv::Rect(static_cast<int>(around.left * f) - margin,
                                     static_cast<int>(around.top * f) - margin,
                                     ts.width + 2 * margin, ts.height + 2 * margin) &
                            cv::Rect(0, 0, level.cols, level.rows);
    if (window.width < ts.width || window.height < ts.height) return r;
    cv::Mat result;
    cv::matchTemplate(level(window), resized(t, ts), result, cv::TM_CCOEFF_NORMED);
    cv::patchNaNs(result, -1);
    cv::Point at;
    cv::minMaxLoc(result, nullptr, &r.score, nullptr, &at);
    r.box = Rect{static_cast<int>((window.x + at.x) / f), static_cast<int>((window.y + at.y) / f),
                 static_cast<int>((window.x + at.x + ts.width) / f),
                 static_cast<int>((window.y + at.y + ts.height) / f)};
    return r;
  };

  // Coarse: every scale from ½ to 2, an eighth of an octave apart (a template taken on another
  // density lands within ±4.5% of one), on grey frames shrunk to ~200 px across; small
  // templates on a finer level so that they keep ≥ 10 px of detail.
  auto coarse_factor = [&](double s) {
    return std::min(1.0, std::max(base, 10.0 / (std::min(tpl.cols, tpl.rows) * s)));
  };
  const double coarse_threshold = std::max(0.3, threshold - 0.25);
  std::vector<Candidate> coarse;
  for (int k = -8; k <= 8; ++k) {
    const double s = std::pow(2.0, k / 8.0);
    const double tw = tpl.cols * s, th = tpl.rows * s;
    if (tw > image.cols || th > image.rows) continue;
    const double f = coarse_factor(s);
    const cv::Mat& level = level_at(f);
    const cv::Size ts(static_cast<int>(std::lround(tw * f)), static_cast<int>(std::lround(th * f)));
    if (ts.width < 4 || ts.height < 4 || ts.width > level.cols || ts.height > level.rows) continue;
    cv::Mat result;
    cv::matchTemplate(level, resized(tpl_grey, ts), result, cv::TM_CCOEFF_NORMED);
    cv::patchNaNs(result, -1);
    for (int peak = 0; peak < 8; ++peak) {
      double best = 0;
      cv::Point at;
      cv::minMaxLoc(result, nullptr, &best, nullptr, &at);
      if (best < coarse_threshold) break;
      coarse.push_back({best, s,
                        Rect{static_cast<int>(at.x / f), static_cast<int>(at.y / f),
                             static_cast<int>(at.x / f + tw), static_cast<int>(at.y / f + th)}});
      const cv::Rect around(at.x - ts.width / 2, at.y - ts.height / 2, ts.width, ts.height);
      result(around & cv::Rect(0, 0, result.cols, result.rows)).setTo(-1);
    }
  }

  // Fine: the best few places, the scale refined on a level twice as sharp (grey), then scored
  // once at full resolution in colour (a red switch is not its grey twin).
  std::vector<Candidate> fine;
  for (const Candidate& c : suppress(std::move(coarse), 6)) {
    const double fc = coarse_factor(c.scale);
    const double fm = std::min(1.0, 2 * fc);
    const cv::Mat& mid = level_at(fm);
    const auto max_side = [&](double s) { return std::max(tpl.cols, tpl.rows) * s; };
    // Where the coarse peak is: within a coarse pixel, and half a scale step of size.
    const auto size_slack = [&](double s) { return static_cast<int>(0.03 * max_side(s) * fm); };
    Candidate best = match_near(mid, tpl_grey, fm, c.scale, c.box,
                                size_slack(c.scale) + static_cast<int>(std::ceil(fm / fc)) + 2);
    for (double step = std::pow(2.0, 1.0 / 16); step > 1.005; step = std::sqrt(step)) {
      const Candidate at = best;
      for (double s : {at.scale * step, at.scale / step}) {
        Candidate r = match_near(mid, tpl_grey, fm, s, at.box,
                                 static_cast<int>(max_side(s) * (step - 1) * fm) + 3);
        if (r.score > best.score) best = r;
      }
    }
    const Candidate full =
        match_near(image, tpl, 1.0, best.scale, best.box, static_cast<int>(std::ceil(1 / fm)) + 2);
    if (full.score >= threshold) fine.push_back(full);
  }
  for (const Candidate& c : suppress(std::move(fine), 1000)) {
    ElementMatch m{c.box, "image", nullptr, c.score, *sel.image};
    if (in_app_area(frame, m)) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace uiw::harness
