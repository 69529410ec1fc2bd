#include "simdevice/screen_renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <opencv2/freetype.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "simdevice/mask_blend.h"
#include "simdevice/widget_glyph.h"

namespace uiw::sim {
namespace {

constexpr const char* kRegularFontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr const char* kBoldFontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
// Faces in the Noto CJK collections: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK. SC draws the mainland forms
// that Chinese phones show (and that chi_sim is trained on).
constexpr int kSimplifiedChineseFace = 2;

// Where a line of Noto Sans CJK sits relative to its baseline, in em: the visual centre of both
// ideographs and Latin capitals is about 0.36 em above the baseline.
constexpr double kBaselineBelowCentreEm = 0.36;
constexpr double kLineHeightEm = 1.35;
constexpr double kTextPaddingDp = 4;
constexpr size_t kMaxCacheEntries = 512;
constexpr size_t kMaxCachedPixelBytes = 64u << 20;

// Caches are only there to make repeated frames cheap; dropping everything when one grows past a
// bound keeps memory flat under scenes that keep changing.
template <typename Map>
void bound_cache(Map& map) {
  if (map.size() > kMaxCacheEntries) map.clear();
}

// The same for caches of pixels, bounded by bytes (a full-screen mask is 2.6 MB).
template <typename Map>
void bound_pixel_cache(Map& map, size_t& bytes, const cv::Mat& incoming) {
  const size_t size = incoming.total() * incoming.elemSize();
  if (map.size() >= kMaxCacheEntries || bytes + size > kMaxCachedPixelBytes) {
    map.clear();
    bytes = 0;
  }
  bytes += size;
}

cv::Scalar to_bgr(Color c) {
  return cv::Scalar(c.b, c.g, c.r);
}

cv::Rect to_cv(const detectors::Rect& r) {
  return cv::Rect(r.left, r.top, r.width(), r.height());
}

double dp(double value, int density) {
  return value * density / 160.0;
}

// Coverage of a rounded rectangle of size `w`×`h`, shrunk by `inset` px on every side, with
// corner radius max(0, radius - inset): a signed-distance estimate gives one pixel of AA.
cv::Mat rounded_rect_coverage(int w, int h, double radius, double inset) {
  cv::Mat mask(h, w, CV_8UC1);
  const double half_w = w / 2.0 - inset;
  const double half_h = h / 2.0 - inset;
  const double r = std::clamp(radius - inset, 0.0, std::max(0.0, std::min(half_w, half_h)));
  for (int y = 0; y < h; ++y) {
    uchar* m = mask.ptr<uchar>(y);
    const double py = std::abs(y + 0.5 - h / 2.0) - (half_h - r);
    for (int x = 0; x < w; ++x) {
      const double px = std::abs(x + 0.5 - w / 2.0) - (half_w - r);
      const double outside = std::hypot(std::max(px, 0.0), std::max(py, 0.0));
      const double inside = std::min(std::max(px, py), 0.0);
      const double distance = outside + inside - r;  // < 0 inside the shape
      m[x] = static_cast<uchar>(std::lround(std::clamp(0.5 - distance, 0.0, 1.0) * 255));
    }
  }
  return mask;
}

bool is_cjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x2FFFF);
}

// Punctuation that must not start a line (Chinese line-breaking rules): it stays with the
// character before it.
bool is_closing_punctuation(char32_t c) {
  static constexpr char32_t kClosing[] = {U'，', U'。', U'、', U'！', U'？', U'；', U'：',
                                          U'）', U'》', U'」', U'』', U'”',  U'’',  U'…',
                                          U',',  U'.',  U'!',  U'?',  U';',  U':',  U')'};
  return std::find(std::begin(kClosing), std::end(kClosing), c) != std::end(kClosing);
}

// Splits UTF-8 into code points, each with its byte span.
struct CodePoint {
  char32_t value;
  std::string bytes;
};

std::vector<CodePoint> decode_utf8(const std::string& text) {
  std::vector<CodePoint> out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 1;
    char32_t value = lead;
    if (lead >= 0xF0) {
      length = 4;
      value = lead & 0x07;
    } else if (lead >= 0xE0) {
      length = 3;
      value = lead & 0x0F;
    } else if (lead >= 0xC0) {
      length = 2;
      value = lead & 0x1F;
    }
    length = std::min(length, text.size() - i);
    for (size_t k = 1; k < length; ++k) value = (value << 6) | (text[i + k] & 0x3F);
    out.push_back({value, text.substr(i, length)});
    i += length;
  }
  return out;
}

// Break opportunities: a run of Latin letters/digits is one word, every CJK character is its
// own token, spaces are separate tokens, and closing punctuation sticks to what precedes it.
std::vector<std::string> tokenize(const std::string& text) {
  std::vector<std::string> tokens;
  bool in_word = false;
  for (const CodePoint& cp : decode_utf8(text)) {
    if (cp.value == U' ') {
      tokens.push_back(" ");
      in_word = false;
    } else if (is_closing_punctuation(cp.value) && !tokens.empty() && tokens.back() != " ") {
      tokens.back() += cp.bytes;
      in_word = !is_cjk(cp.value);
    } else if (is_cjk(cp.value)) {
      tokens.push_back(cp.bytes);
      in_word = false;
    } else if (in_word) {
      tokens.back() += cp.bytes;
    } else {
      tokens.push_back(cp.bytes);
      in_word = true;
    }
  }
  return tokens;
}

std::string trim_spaces(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  size_t start = 0;
  while (start < s.size() && s[start] == ' ') ++start;
  return s.substr(start);
}

struct ImageKey {
  std::string path;
  int width;
  int height;
  bool operator<(const ImageKey& o) const {
    return std::tie(path, width, height) < std::tie(o.path, o.width, o.height);
  }
};

struct MaskKey {
  int w, h, radius_q, inset_q;  // radius and inset in 1/16 px
  bool operator<(const MaskKey& o) const {
    return std::tie(w, h, radius_q, inset_q) < std::tie(o.w, o.h, o.radius_q, o.inset_q);
  }
};

struct LayoutKey {
  std::string text;
  int font_px;
  bool bold;
  int max_width;
  bool operator<(const LayoutKey& o) const {
    return std::tie(text, font_px, bold, max_width) <
           std::tie(o.text, o.font_px, o.bold, o.max_width);
  }
};

struct TextLine {
  std::string text;
  int width = 0;
};

// Fonts and caches shared by every render; each guarded by its own mutex so renders on several
// threads only serialise on text.
struct Resources {
  // FreeType faces keep per-call state (pixel size, glyph slot): one mutex serialises their use.
  mutable std::mutex font_mutex;
  cv::Ptr<cv::freetype::FreeType2> regular;
  cv::Ptr<cv::freetype::FreeType2> bold;
  mutable std::map<LayoutKey, std::vector<TextLine>> layouts;

  mutable std::mutex image_mutex;
  mutable std::map<std::string, cv::Mat> images;  // decoded, BGR or BGRA
  mutable std::map<ImageKey, cv::Mat> scaled;     // resized to a node's bounds
  mutable size_t image_bytes = 0;
  mutable size_t scaled_bytes = 0;

  mutable std::mutex mask_mutex;
  mutable std::map<MaskKey, cv::Mat> masks;
  mutable size_t mask_bytes = 0;

  cv::Mat rounded_mask(int w, int h, double radius, double inset) const {
    const MaskKey key{w, h, static_cast<int>(std::lround(radius * 16)),
                      static_cast<int>(std::lround(inset * 16))};
    std::lock_guard lock(mask_mutex);
    auto it = masks.find(key);
    if (it != masks.end()) return it->second;
    cv::Mat mask = rounded_rect_coverage(w, h, radius, inset);
    bound_pixel_cache(masks, mask_bytes, mask);
    masks.emplace(key, mask);
    return mask;
  }

  cv::Mat scaled_image(const std::string& path, cv::Size size) const {
    std::lock_guard lock(image_mutex);
    const ImageKey key{path, size.width, size.height};
    if (auto it = scaled.find(key); it != scaled.end()) return it->second;
    auto source = images.find(path);
    if (source == images.end()) {
      cv::Mat decoded = cv::imread(path, cv::IMREAD_UNCHANGED);
      if (decoded.empty()) {
        throw Error(ErrorKind::kNotFound,
                    fmt::format("cannot read image \"{}\" (a node's style.image): check that the "
                                "file exists and is a PNG or JPEG",
                                path));
      }
      if (decoded.depth() != CV_8U) decoded.convertTo(decoded, CV_8U, 1.0 / 257);
      if (decoded.channels() == 1) cv::cvtColor(decoded, decoded, cv::COLOR_GRAY2BGR);
      bound_pixel_cache(images, image_bytes, decoded);
      source = images.emplace(path, decoded).first;
    }
    cv::Mat resized;
    const bool shrinking = size.width < source->second.cols && size.height < source->second.rows;
    cv::resize(source->second, resized, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    bound_pixel_cache(scaled, scaled_bytes, resized);
    scaled.emplace(key, resized);
    return resized;
  }

  // Greedy wrap on word / CJK-character boundaries; a word wider than the line is cut between
  // characters. Call with font_mutex held.
  const std::vector<TextLine>& layout(const std::string& text, int font_px, bool use_bold,
                                      int max_width) const {
    const LayoutKey key{text, font_px, use_bold, max_width};
    if (auto it = layouts.find(key); it != layouts.end()) return it->second;
    cv::freetype::FreeType2& face = use_bold ? *bold : *regular;
    const auto measure = [&](const std::string& s) {
      int baseline = 0;
      return s.empty() ? 0 : face.getTextSize(s, font_px, -1, &baseline).width;
    };
    std::vector<TextLine> lines;
    std::string paragraph;
    std::vector<std::string> paragraphs;
    for (char c : text) {
      if (c == '\n') {
        paragraphs.push_back(paragraph);
        paragraph.clear();
      } else {
        paragraph += c;
      }
    }
    paragraphs.push_back(paragraph);
    for (const std::string& para : paragraphs) {
      std::string line;
      const auto flush = [&] {
        std::string trimmed = trim_spaces(line);
        lines.push_back({trimmed, measure(trimmed)});
        line.clear();
      };
      for (const std::string& token : tokenize(para)) {
        if (line.empty() && token == " ") continue;
        if (measure(trim_spaces(line + token)) <= max_width) {
          line += token;
          continue;
        }
        if (!trim_spaces(line).empty()) flush();
        if (token == " ") continue;
        if (measure(token) <= max_width) {
          line = token;
          continue;
        }
        for (const CodePoint& cp : decode_utf8(token)) {  // a word longer than the line
          if (!line.empty() && measure(line + cp.bytes) > max_width) flush();
          line += cp.bytes;
        }
      }
      flush();
    }
    bound_cache(layouts);
    return layouts.emplace(key, std::move(lines)).first->second;
  }

  // Draws `text` into `clip` (screen pixels; nothing outside it changes).
  void draw_text(cv::Mat& canvas, cv::Rect clip, const std::string& text, double font_px_f,
                 bool use_bold, Color color, Gravity gravity, int padding) const {
    clip &= cv::Rect(0, 0, canvas.cols, canvas.rows);
    if (clip.empty() || text.empty() || color.a == 0) return;
    const int font_px = std::max(1, static_cast<int>(std::lround(font_px_f)));
    // Layout uses the node's full width even if it is partly off screen.
    std::lock_guard lock(font_mutex);
    cv::freetype::FreeType2& face = use_bold ? *bold : *regular;
    const auto& lines = layout(text, font_px, use_bold, std::max(1, clip.width - 2 * padding));
    cv::Mat target = canvas(clip);
    cv::Mat before;
    if (color.a < 255) before = target.clone();
    const double line_height = font_px * kLineHeightEm;
    const double block_top = clip.height / 2.0 - line_height * lines.size() / 2.0;
    for (size_t i = 0; i < lines.size(); ++i) {
      const TextLine& line = lines[i];
      if (line.text.empty()) continue;
      const double centre_y = block_top + line_height * (i + 0.5);
      const int baseline =
          static_cast<int>(std::lround(centre_y + kBaselineBelowCentreEm * font_px));
      int x = padding;
      if (gravity == Gravity::kCenter) x = (clip.width - line.width) / 2;
      if (gravity == Gravity::kRight) x = clip.width - padding - line.width;
      face.putText(target, line.text, cv::Point(x, baseline), font_px, to_bgr(color), -1,
                   cv::LINE_AA, true);
    }
    if (color.a < 255)
      cv::addWeighted(target, color.a / 255.0, before, 1 - color.a / 255.0, 0, target);
  }
};

// Glyphs are drawn into a coverage mask in a square (or, for switches, a pill) fitted to the
// area, with lines thick enough to survive down-scaling, as icon fonts do.
struct GlyphPainter {
  cv::Mat& canvas;  // the node's region
  cv::Rect2d area;  // relative to canvas
  Color color;
  bool checked;

  static constexpr int kShift = 4;  // sub-pixel precision for OpenCV drawing
  static cv::Point fp(double x, double y) {
    return cv::Point(static_cast<int>(std::lround(x * (1 << kShift))),
                     static_cast<int>(std::lround(y * (1 << kShift))));
  }
  static int fr(double r) { return static_cast<int>(std::lround(r * (1 << kShift))); }

  cv::Mat new_mask() const { return cv::Mat::zeros(canvas.size(), CV_8UC1); }
  void fill(const cv::Mat& mask, Color c) const { blend_mask(canvas, mask, c); }

  double side() const { return std::min(area.width, area.height); }
  double cx() const { return area.x + area.width / 2; }
  double cy() const { return area.y + area.height / 2; }
  int stroke(double fraction) const {
    return std::max(2, static_cast<int>(std::lround(side() * fraction)));
  }

  void line(cv::Mat& m, double x0, double y0, double x1, double y1, int thickness) const {
    cv::line(m, fp(x0, y0), fp(x1, y1), cv::Scalar(255), thickness, cv::LINE_AA, kShift);
  }
  void circle(cv::Mat& m, double x, double y, double r, int thickness) const {
    cv::circle(m, fp(x, y), fr(r), cv::Scalar(255), thickness, cv::LINE_AA, kShift);
  }
  void cross(cv::Mat& m, double half, int thickness) const {
    line(m, cx() - half, cy() - half, cx() + half, cy() + half, thickness);
    line(m, cx() - half, cy() + half, cx() + half, cy() - half, thickness);
  }

  void draw(Glyph glyph) const {
    const double s = side();
    if (s < 2) return;
    cv::Mat m = new_mask();
    switch (glyph) {
      case Glyph::kNone:
        return;
      case Glyph::kCross:
        cross(m, s * 0.25, stroke(0.08));
        fill(m, color);
        return;
      case Glyph::kCircledCross:
        circle(m, cx(), cy(), s * 0.4, stroke(0.06));
        cross(m, s * 0.16, stroke(0.06));
        fill(m, color);
        return;
      case Glyph::kCheckbox: {
        const double box = s * 0.62;
        const cv::Rect2d r(cx() - box / 2, cy() - box / 2, box, box);
        const int t = stroke(0.07);
        if (!checked) {
          cv::rectangle(m, fp(r.x + t / 2.0, r.y + t / 2.0),
                        fp(r.x + r.width - t / 2.0, r.y + r.height - t / 2.0), cv::Scalar(255), t,
                        cv::LINE_AA, kShift);
          fill(m, color);
          return;
        }
        cv::rectangle(m, fp(r.x, r.y), fp(r.x + r.width, r.y + r.height), cv::Scalar(255),
                      cv::FILLED, cv::LINE_AA, kShift);
        fill(m, color);
        cv::Mat tick = new_mask();
        line(tick, r.x + box * 0.22, r.y + box * 0.52, r.x + box * 0.42, r.y + box * 0.72, t);
        line(tick, r.x + box * 0.42, r.y + box * 0.72, r.x + box * 0.80, r.y + box * 0.30, t);
        fill(tick, tick_color());
        return;
      }
      case Glyph::kSwitch: {
        // Material proportions: a 36×14 dp track and a 20 dp thumb.
        const double track_w = std::min(area.width * 0.8, area.height * 1.6);
        const double track_h = track_w * 0.39;
        const double thumb_r = track_w * 0.28;
        const double left = cx() - track_w / 2 + track_h / 2;
        const double right = cx() + track_w / 2 - track_h / 2;
        line(m, left, cy(), right, cy(), std::max(2, static_cast<int>(std::lround(track_h))));
        Color track = checked ? color : Color{0xBD, 0xBD, 0xBD, 255};
        if (checked) track.a = static_cast<uint8_t>(track.a / 2);
        fill(m, track);
        const double thumb_x = checked ? right : left;
        cv::Mat thumb = new_mask();
        circle(thumb, thumb_x, cy(), thumb_r, cv::FILLED);
        fill(thumb, checked ? color : Color{0x9E, 0x9E, 0x9E, 255});
        if (!checked) {
          cv::Mat inner = new_mask();
          circle(inner, thumb_x, cy(), thumb_r - std::max(1.5, thumb_r * 0.12), cv::FILLED);
          fill(inner, Color{0xF5, 0xF5, 0xF5, 255});
        }
        return;
      }
      case Glyph::kRadio:
        circle(m, cx(), cy(), s * 0.36, stroke(0.07));
        if (checked) circle(m, cx(), cy(), s * 0.19, cv::FILLED);
        fill(m, color);
        return;
      case Glyph::kArrowLeft: {
        const int t = stroke(0.08);
        const double half = s * 0.28;
        line(m, cx() - half, cy(), cx() + half, cy(), t);
        line(m, cx() - half, cy(), cx(), cy() - half, t);
        line(m, cx() - half, cy(), cx(), cy() + half, t);
        fill(m, color);
        return;
      }
    }
  }

  // White on a dark box, dark on a light one.
  Color tick_color() const {
    return luminance(color) > 0.6 ? Color{0x21, 0x21, 0x21, 255} : Color{255, 255, 255, 255};
  }
};

struct Painter {
  const Resources& impl;
  cv::Mat& canvas;
  int density;

  cv::Rect screen() const { return cv::Rect(0, 0, canvas.cols, canvas.rows); }

  // The screen area a node and its descendants may touch.
  cv::Rect subtree_bounds(const SceneNode& node) const {
    cv::Rect r = to_cv(node.ui.bounds);
    for (const SceneNode& child : node.children) {
      const cv::Rect c = subtree_bounds(child);
      if (c.empty()) continue;
      r = r.empty() ? c : (r | c);
    }
    return r;
  }

  void draw_node(const SceneNode& node) const {
    const NodeStyle& style = node.style;
    const double opacity = std::clamp(style.opacity, 0.0, 1.0);
    if (opacity <= 0) return;
    if (opacity < 1) {
      // Android draws a translucent view into a layer and composites it: blend the whole subtree.
      const cv::Rect region = subtree_bounds(node) & screen();
      if (region.empty()) return;
      cv::Mat below = canvas(region).clone();
      draw_opaque(node);
      cv::Mat above = canvas(region);
      cv::addWeighted(above, opacity, below, 1 - opacity, 0, above);
      return;
    }
    draw_opaque(node);
  }

  void draw_opaque(const SceneNode& node) const {
    const NodeStyle& style = node.style;
    const cv::Rect bounds = to_cv(node.ui.bounds);
    const cv::Rect visible = bounds & screen();
    if (!visible.empty()) {
      cv::Mat region = canvas(visible);
      const double radius = dp(style.corner_radius_dp, density);
      // Masks are computed over the full bounds and cropped, so a node partly off screen keeps
      // its shape.
      const auto crop = [&](const cv::Mat& full) {
        return full(
            cv::Rect(visible.x - bounds.x, visible.y - bounds.y, visible.width, visible.height));
      };
      if (style.background && style.background->a > 0) {
        if (radius <= 0 && style.background->a == 255) {
          region.setTo(to_bgr(*style.background));
        } else {
          blend_mask(region, crop(impl.rounded_mask(bounds.width, bounds.height, radius, 0)),
                     *style.background);
        }
      }
      if (!style.image_path.empty()) draw_image(region, crop, bounds.size(), style.image_path);
      if (style.border && style.border_width_dp > 0) {
        const double width = std::max(1.0, dp(style.border_width_dp, density));
        cv::Mat ring = impl.rounded_mask(bounds.width, bounds.height, radius, 0).clone();
        cv::subtract(ring, impl.rounded_mask(bounds.width, bounds.height, radius, width), ring);
        blend_mask(region, crop(ring), *style.border);
      }
      draw_glyph_and_text(node, bounds);
    }
    for (const SceneNode& child : node.children) draw_node(child);
  }

  void draw_image(cv::Mat& region, const std::function<cv::Mat(const cv::Mat&)>& crop,
                  cv::Size size, const std::string& path) const {
    const cv::Mat image = crop(impl.scaled_image(path, size));
    if (image.channels() == 3) {
      image.copyTo(region);
      return;
    }
    std::vector<cv::Mat> planes;
    cv::split(image, planes);
    cv::Mat bgr;
    cv::merge(std::vector<cv::Mat>{planes[0], planes[1], planes[2]}, bgr);
    cv::Mat alpha;
    cv::cvtColor(planes[3], alpha, cv::COLOR_GRAY2BGR);
    cv::Mat src, dst, a;
    bgr.convertTo(src, CV_32FC3);
    region.convertTo(dst, CV_32FC3);
    alpha.convertTo(a, CV_32FC3, 1.0 / 255);
    cv::Mat out = src.mul(a) + dst.mul(cv::Scalar::all(1.0) - a);
    out.convertTo(region, CV_8UC3);
  }

  void draw_glyph_and_text(const SceneNode& node, const cv::Rect& bounds) const {
    const NodeStyle& style = node.style;
    std::string text = node.ui.text;
    if (node.ui.password && !text.empty()) {
      std::string dots;
      for (size_t i = 0; i < decode_utf8(text).size(); ++i) dots += "•";
      text = dots;
    }
    cv::Rect text_area = bounds;
    if (style.glyph != Glyph::kNone) {
      // With a label, a compound button keeps its glyph at the side (switch right, others
      // left) and the label takes the rest, as CheckBox / Switch lay out.
      const cv::Rect glyph_rect = to_cv(glyph_area(style, node.ui.bounds, !text.empty()));
      if (!text.empty()) {
        if (glyph_rect.x > bounds.x) {
          text_area.width -= glyph_rect.width;
        } else {
          text_area.x += glyph_rect.width;
          text_area.width -= glyph_rect.width;
        }
      }
      const cv::Rect visible = bounds & screen();
      cv::Mat region = canvas(visible);
      const cv::Rect2d area(glyph_rect.x - visible.x, glyph_rect.y - visible.y, glyph_rect.width,
                            glyph_rect.height);
      const Color color = style.glyph_color.value_or(style.text_color);
      if (is_styled_widget(style.glyph, style.widget_style)) {
        draw_styled_widget(
            region, area,
            StyledWidget{style.glyph, style.widget_style, node.ui.checked, style.dark_theme, color},
            density);
      } else {
        GlyphPainter{region, area, color, node.ui.checked}.draw(style.glyph);
      }
    }
    if (!text.empty()) {
      const int padding = static_cast<int>(
          std::lround(std::min(dp(kTextPaddingDp, density), text_area.width / 8.0)));
      impl.draw_text(canvas, text_area, text, dp(style.font_size_sp, density), style.bold,
                     style.text_color, style.gravity, padding);
    }
  }

  // 24 dp at the top: the clock on the left, signal and battery on the right, in dark icons on a
  // light background and light icons on a dark one, as SystemUI does.
  void draw_status_bar(const Scene& scene, Color background) const {
    const int height = static_cast<int>(std::lround(dp(24, density)));
    const cv::Rect bar = cv::Rect(0, 0, canvas.cols, height) & screen();
    if (bar.empty()) return;
    canvas(bar).setTo(to_bgr(background));
    const Color ink =
        luminance(background) > 0.5 ? Color{0x21, 0x21, 0x21, 255} : Color{0xFF, 0xFF, 0xFF, 255};
    const int margin = static_cast<int>(std::lround(dp(16, density)));
    impl.draw_text(canvas, cv::Rect(margin, 0, canvas.cols / 3, height), scene.clock_text,
                   dp(14, density), false, ink, Gravity::kLeft, 0);
    cv::Mat region = canvas(bar);
    cv::Mat mask = cv::Mat::zeros(region.size(), CV_8UC1);
    const double unit = dp(1, density);
    const double cy = height / 2.0;
    // Battery: an upright body with a cap, filled to 80 %.
    const double bw = 8 * unit, bh = 13 * unit;
    const double bx = canvas.cols - margin - bw, by = cy - bh / 2;
    const auto p = [](double x, double y) { return GlyphPainter::fp(x, y); };
    const int s = GlyphPainter::kShift;
    cv::rectangle(mask, p(bx, by + 1.5 * unit), p(bx + bw, by + bh), cv::Scalar(255),
                  std::max(1, static_cast<int>(std::lround(1.2 * unit))), cv::LINE_AA, s);
    cv::rectangle(mask, p(bx + bw * 0.3, by), p(bx + bw * 0.7, by + 1.5 * unit), cv::Scalar(255),
                  cv::FILLED, cv::LINE_AA, s);
    cv::rectangle(mask, p(bx, by + 1.5 * unit + (bh - 1.5 * unit) * 0.2), p(bx + bw, by + bh),
                  cv::Scalar(255), cv::FILLED, cv::LINE_AA, s);
    // Signal: a right triangle growing to the right.
    const double sx = bx - 8 * unit - 14 * unit, sy = cy + 6 * unit, ss = 13 * unit;
    std::vector<cv::Point> triangle{p(sx, sy), p(sx + ss, sy), p(sx + ss, sy - ss)};
    cv::fillConvexPoly(mask, triangle, cv::Scalar(255), cv::LINE_AA, s);
    blend_mask(region, mask, ink);
  }
};

cv::Mat to_bgr_image(const cv::Mat& image) {
  cv::Mat out;
  if (image.channels() == 4) {
    cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
  } else if (image.channels() == 1) {
    cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
  } else {
    out = image;
  }
  if (out.depth() != CV_8U) out.convertTo(out, CV_8U, 1.0 / 257);
  return out;
}

}  // namespace

struct ScreenRenderer::Impl {
  Resources resources;
};

ScreenRenderer::ScreenRenderer() : impl_(std::make_unique<Impl>()) {
  for (const char* path : {kRegularFontPath, kBoldFontPath}) {
    if (!std::filesystem::exists(path)) {
      throw Error(ErrorKind::kNotFound,
                  fmt::format("font {} is missing: the simulator draws text with Noto Sans CJK; "
                              "install it (Debian: apt-get install fonts-noto-cjk)",
                              path));
    }
  }
  try {
    impl_->resources.regular = cv::freetype::createFreeType2();
    impl_->resources.regular->loadFontData(kRegularFontPath, kSimplifiedChineseFace);
    impl_->resources.bold = cv::freetype::createFreeType2();
    impl_->resources.bold->loadFontData(kBoldFontPath, kSimplifiedChineseFace);
  } catch (const cv::Exception& e) {
    throw Error(ErrorKind::kNotFound, fmt::format("cannot load Noto Sans CJK SC from {} / {}: {}",
                                                  kRegularFontPath, kBoldFontPath, e.what()));
  }
}

ScreenRenderer::~ScreenRenderer() = default;

cv::Mat ScreenRenderer::render(const Scene& scene) const {
  if (scene.width <= 0 || scene.height <= 0) {
    throw Error(ErrorKind::kConfig,
                fmt::format("cannot render a {}x{} screen: width and height must be positive",
                            scene.width, scene.height));
  }
  const Color white{255, 255, 255, 255};
  const Color base = !scene.layers.empty() && scene.layers.front().background
                         ? *scene.layers.front().background
                         : white;
  cv::Mat canvas(scene.height, scene.width, CV_8UC3, to_bgr(Color{base.r, base.g, base.b, 255}));
  const Painter painter{impl_->resources, canvas, scene.density};
  for (size_t i = 0; i < scene.layers.size(); ++i) {
    const SceneLayer& layer = scene.layers[i];
    if (!layer.recorded_image.empty()) {
      cv::Mat frame = to_bgr_image(layer.recorded_image);
      if (frame.size() != canvas.size()) {
        cv::resize(frame, canvas, canvas.size(), 0, 0, cv::INTER_AREA);
      } else {
        frame.copyTo(canvas);
      }
    }
    if (layer.dim > 0) {
      canvas.convertTo(canvas, -1, 1 - std::clamp(layer.dim, 0.0, 1.0), 0);
    }
    if (layer.background && layer.background->a > 0) {
      if (layer.background->a == 255) {
        canvas.setTo(to_bgr(*layer.background));
      } else {
        const double a = layer.background->a / 255.0;
        cv::addWeighted(canvas, 1 - a, cv::Mat(canvas.size(), CV_8UC3, to_bgr(*layer.background)),
                        a, 0, canvas);
      }
    }
    for (const SceneNode& node : layer.nodes) painter.draw_node(node);
    // The status bar belongs to the screen, not to pop-ups: overlays above dim it like the rest.
    // A recorded frame brings its own status bar.
    if (i == 0 && scene.status_bar && layer.recorded_image.empty()) {
      painter.draw_status_bar(scene, base);
    }
  }
  if (scene.layers.empty() && scene.status_bar) painter.draw_status_bar(scene, base);
  return canvas;
}

}  // namespace uiw::sim
