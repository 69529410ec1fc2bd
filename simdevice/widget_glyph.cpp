#include "simdevice/widget_glyph.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "simdevice/mask_blend.h"

namespace uiw::sim {
namespace {

constexpr Color kWhite{0xFF, 0xFF, 0xFF, 255};
constexpr Color kBlack{0x00, 0x00, 0x00, 255};

Color with_alpha(Color c, double alpha) {
  c.a = static_cast<uint8_t>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255));
  return c;
}

// Ink on an accent fill: white on saturated or dark accents, near-black on pale ones (the dark
// theme's light accents).
Color on_accent(Color accent) {
  return luminance(accent) > 0.62 ? Color{0x1C, 0x1B, 0x1F, 255} : kWhite;
}

// Draws in dp relative to the widget's box; every shape is a coverage mask blended once, so
// overlapping parts (thumb over track) compose as Android's layers do.
class WidgetBrush {
 public:
  WidgetBrush(cv::Mat& canvas, cv::Rect2d box, double unit, bool dark, Color accent)
      : canvas_(canvas), box_(box), unit_(unit), dark_(dark), accent_(accent) {}

  bool dark() const { return dark_; }
  Color accent() const { return accent_; }
  double width_dp() const { return box_.width / unit_; }
  double height_dp() const { return box_.height / unit_; }

  // A rounded rectangle (x, y, w, h and radius in dp), filled, or a ring of `stroke` dp.
  void rounded(double x, double y, double w, double h, double radius, Color c,
               double stroke = 0) const {
    cv::Mat mask = coverage(x, y, w, h, radius, stroke);
    blend_mask(canvas_, mask, c);
  }
  void circle(double cx, double cy, double r, Color c, double stroke = 0) const {
    rounded(cx - r, cy - r, 2 * r, 2 * r, r, c, stroke);
  }
  // A soft drop shadow under a circle: Material's 1 dp elevation and iOS's thumb shadow.
  void circle_shadow(double cx, double cy, double r, double dy, double alpha) const {
    cv::Mat mask = coverage(cx - r, cy - r + dy, 2 * r, 2 * r, r, 0);
    const double sigma = std::max(0.6, unit_ * 0.9);
    cv::GaussianBlur(mask, mask, cv::Size(), sigma);
    blend_mask(canvas_, mask, with_alpha(kBlack, alpha));
  }
  // A ✓ in the square (x, y, side), in the proportions of Material's check icon.
  void tick(double x, double y, double side, double stroke, Color c) const {
    cv::Mat mask = cv::Mat::zeros(canvas_.size(), CV_8UC1);
    const int thickness = std::max(1, static_cast<int>(std::lround(stroke * unit_)));
    const cv::Point a = point(x + side * 0.20, y + side * 0.53);
    const cv::Point b = point(x + side * 0.41, y + side * 0.74);
    const cv::Point e = point(x + side * 0.80, y + side * 0.30);
    cv::line(mask, a, b, cv::Scalar(255), thickness, cv::LINE_AA, kShift);
    cv::line(mask, b, e, cv::Scalar(255), thickness, cv::LINE_AA, kShift);
    blend_mask(canvas_, mask, c);
  }

 private:
  static constexpr int kShift = 4;  // sub-pixel precision of OpenCV's drawing

  cv::Point point(double x_dp, double y_dp) const {
    return cv::Point(static_cast<int>(std::lround((box_.x + x_dp * unit_) * (1 << kShift))),
                     static_cast<int>(std::lround((box_.y + y_dp * unit_) * (1 << kShift))));
  }

  // Signed-distance coverage of a rounded rectangle (one pixel of anti-aliasing); a ring is the
  // shape minus the same shape inset by the stroke.
  cv::Mat coverage(double x, double y, double w, double h, double radius, double stroke) const {
    cv::Mat mask = cv::Mat::zeros(canvas_.size(), CV_8UC1);
    const double left = box_.x + x * unit_, top = box_.y + y * unit_;
    const double half_w = w * unit_ / 2, half_h = h * unit_ / 2;
    const double r = std::clamp(radius * unit_, 0.0, std::min(half_w, half_h));
    const double ring = stroke * unit_;
    const double cx = left + half_w, cy = top + half_h;
    const int x0 = std::max(0, static_cast<int>(std::floor(left)) - 1);
    const int x1 = std::min(mask.cols, static_cast<int>(std::ceil(left + 2 * half_w)) + 1);
    const int y0 = std::max(0, static_cast<int>(std::floor(top)) - 1);
    const int y1 = std::min(mask.rows, static_cast<int>(std::ceil(top + 2 * half_h)) + 1);
    for (int py = y0; py < y1; ++py) {
      uchar* m = mask.ptr<uchar>(py);
      const double dy = std::abs(py + 0.5 - cy) - (half_h - r);
      for (int px = x0; px < x1; ++px) {
        const double dx = std::abs(px + 0.5 - cx) - (half_w - r);
        const double d =
            std::hypot(std::max(dx, 0.0), std::max(dy, 0.0)) + std::min(std::max(dx, dy), 0.0) - r;
        double cover = std::clamp(0.5 - d, 0.0, 1.0);
        if (ring > 0) cover -= std::clamp(0.5 - (d + ring), 0.0, 1.0);
        m[px] = static_cast<uchar>(std::lround(std::clamp(cover, 0.0, 1.0) * 255));
      }
    }
    return mask;
  }

  cv::Mat& canvas_;
  cv::Rect2d box_;
  double unit_;  // px per dp, after fitting the widget to its area
  bool dark_;
  Color accent_;
};

// --- switches ---------------------------------------------------------------------------------

// Material 2 (36×20 dp): a 20 dp thumb with a slight shadow overlapping a 14 dp track; on, the
// thumb is the accent over the accent at half strength; off, a white (dark theme: grey) thumb
// over a translucent grey track.
void draw_material2_switch(const WidgetBrush& b, bool checked) {
  const Color track = checked    ? with_alpha(b.accent(), 0.5)
                      : b.dark() ? with_alpha(kWhite, 0.30)
                                 : with_alpha(kBlack, 0.38);
  b.rounded(1, 3, 34, 14, 7, track);
  const double thumb_x = checked ? 26 : 10;
  b.circle_shadow(thumb_x, 10, 9.5, 1, 0.35);
  const Color thumb = checked    ? b.accent()
                      : b.dark() ? Color{0xBD, 0xBD, 0xBD, 255}
                                 : Color{0xFA, 0xFA, 0xFA, 255};
  b.circle(thumb_x, 10, 10, thumb);
}

// Material 3 (52×32 dp): on, a filled accent track with a 24 dp thumb in the accent's ink at the
// end; off, a pale track with a 2 dp outline and a 16 dp outline-coloured thumb at the start.
void draw_material3_switch(const WidgetBrush& b, bool checked) {
  if (checked) {
    b.rounded(0, 0, 52, 32, 16, b.accent());
    b.circle(36, 16, 12, on_accent(b.accent()));
    return;
  }
  const Color outline = b.dark() ? Color{0x93, 0x8F, 0x99, 255} : Color{0x79, 0x74, 0x7E, 255};
  b.rounded(0, 0, 52, 32, 16, b.dark() ? Color{0x36, 0x34, 0x3B, 255} : Color{0xE6, 0xE0, 0xE9});
  b.rounded(0, 0, 52, 32, 16, outline, 2);
  b.circle(16, 16, 8, outline);
}

// iOS (51×31 pt): a pill, green (the accent) with the white thumb at the end when on, light grey
// (dark theme: dark grey) with the thumb at the start when off; the 27 pt thumb casts a shadow.
void draw_ios_switch(const WidgetBrush& b, bool checked) {
  const Color track = checked    ? b.accent()
                      : b.dark() ? Color{0x39, 0x39, 0x3D, 255}
                                 : Color{0xE9, 0xE9, 0xEA, 255};
  b.rounded(0, 0, 51, 31, 15.5, track);
  const double thumb_x = checked ? 35.5 : 15.5;
  b.circle_shadow(thumb_x, 15.5, 13.5, 1.5, 0.25);
  b.circle(thumb_x, 15.5, 13.5, kWhite);
}

// Holo (60×24 dp): square-cornered; a thin track and a half-width rectangular thumb, the accent
// at the end when on, grey at the start when off.
void draw_holo_switch(const WidgetBrush& b, bool checked) {
  const Color track = b.dark() ? Color{0x44, 0x44, 0x44, 255} : Color{0xC8, 0xC8, 0xC8, 255};
  b.rounded(0, 5, 60, 14, 1, track);
  const Color thumb = checked    ? b.accent()
                      : b.dark() ? Color{0x8A, 0x8A, 0x8A, 255}
                                 : Color{0x9E, 0x9E, 0x9E, 255};
  b.rounded(checked ? 30 : 0, 0, 30, 24, 1.5, thumb);
}

// MIUI / EMUI (46×26 dp): a brand-blue pill with a white thumb inset 3 dp at the end when on; a
// grey pill with the thumb at the start when off.
void draw_vendor_switch(const WidgetBrush& b, bool checked) {
  const Color track = checked    ? b.accent()
                      : b.dark() ? Color{0x4C, 0x4C, 0x4C, 255}
                                 : Color{0xE0, 0xE0, 0xE0, 255};
  b.rounded(0, 0, 46, 26, 13, track);
  const Color thumb = !checked && b.dark() ? Color{0xB8, 0xB8, 0xB8, 255} : kWhite;
  b.circle(checked ? 33 : 13, 13, 10, thumb);
}

// --- checkboxes -------------------------------------------------------------------------------

// Material (18 dp, 2 dp corners): filled accent with a tick in the accent's ink when checked, an
// empty 2 dp outline when not. M2 and M3 differ in the outline's grey.
void draw_material_checkbox(const WidgetBrush& b, bool checked, Color light_off, Color dark_off) {
  if (checked) {
    b.rounded(0, 0, 18, 18, 2, b.accent());
    b.tick(0, 0, 18, 2.2, on_accent(b.accent()));
    return;
  }
  b.rounded(0, 0, 18, 18, 2, b.dark() ? dark_off : light_off, 2);
}

void draw_material2_checkbox(const WidgetBrush& b, bool checked) {
  draw_material_checkbox(b, checked, Color{0x75, 0x75, 0x75, 255}, Color{0xB0, 0xB0, 0xB0, 255});
}

void draw_material3_checkbox(const WidgetBrush& b, bool checked) {
  draw_material_checkbox(b, checked, Color{0x49, 0x45, 0x4F, 255}, Color{0xCA, 0xC4, 0xD0, 255});
}

// Holo (20 dp): a square outline always there, an accent tick drawn in it when checked.
void draw_holo_checkbox(const WidgetBrush& b, bool checked) {
  const Color outline = b.dark() ? Color{0xB4, 0xB4, 0xB4, 255} : Color{0x80, 0x80, 0x80, 255};
  b.rounded(1, 1, 18, 18, 0, outline, 1.5);
  if (checked) b.tick(1, 0, 19, 3, b.accent());
}

// A round tick (the box's side, 20–22 dp): a filled accent circle with a tick in the accent's ink
// when checked, a thin grey ring when not; Chinese apps' consent rows and iOS lists use it.
void draw_tick_circle(const WidgetBrush& b, bool checked) {
  const double side = std::min(b.width_dp(), b.height_dp());
  const double r = side / 2;
  if (checked) {
    b.circle(r, r, r, b.accent());
    b.tick(side * 0.16, side * 0.14, side * 0.68, side * 0.1, on_accent(b.accent()));
    return;
  }
  b.circle(r, r, r, b.dark() ? Color{0x66, 0x66, 0x66, 255} : Color{0xBF, 0xBF, 0xBF, 255},
           side * 0.075);
}

// A bare ✓ in the accent at the row's end when selected; nothing at all when not.
void draw_trailing_check(const WidgetBrush& b, bool checked) {
  if (checked) b.tick(-1, -1, 22, 2.4, b.accent());
}

// --- radios -----------------------------------------------------------------------------------

// Material (20 dp): a 2 dp ring with a 10 dp dot, the accent when checked, grey when not.
void draw_material_radio(const WidgetBrush& b, bool checked, Color light_off, Color dark_off) {
  const Color ring = checked ? b.accent() : b.dark() ? dark_off : light_off;
  b.circle(10, 10, 10, ring, 2);
  if (checked) b.circle(10, 10, 5, b.accent());
}

void draw_material2_radio(const WidgetBrush& b, bool checked) {
  draw_material_radio(b, checked, Color{0x75, 0x75, 0x75, 255}, Color{0xB0, 0xB0, 0xB0, 255});
}

void draw_material3_radio(const WidgetBrush& b, bool checked) {
  draw_material_radio(b, checked, Color{0x49, 0x45, 0x4F, 255}, Color{0xCA, 0xC4, 0xD0, 255});
}

// Holo (22 dp): a thin grey ring always, a large accent dot when checked.
void draw_holo_radio(const WidgetBrush& b, bool checked) {
  const Color ring = b.dark() ? Color{0xB4, 0xB4, 0xB4, 255} : Color{0x80, 0x80, 0x80, 255};
  b.circle(11, 11, 11, ring, 1.5);
  if (checked) b.circle(11, 11, 6.5, b.accent());
}

// MIUI / EMUI (20 dp): a filled accent disc with a white centre when checked, a grey ring when
// not.
void draw_vendor_radio(const WidgetBrush& b, bool checked) {
  if (checked) {
    b.circle(10, 10, 10, b.accent());
    b.circle(10, 10, 4, on_accent(b.accent()));
    return;
  }
  b.circle(10, 10, 10, b.dark() ? Color{0x66, 0x66, 0x66, 255} : Color{0xBF, 0xBF, 0xBF, 255}, 1.5);
}

// --- the table --------------------------------------------------------------------------------

struct WidgetSpec {
  Glyph glyph;
  WidgetStyle style;
  double width_dp;
  double height_dp;
  void (*draw)(const WidgetBrush&, bool checked);
};

// A style without its own look for a glyph (iOS has no radio) draws that glyph as Material 2
// does: see find_spec.
constexpr WidgetSpec kWidgetSpecs[] = {
    {Glyph::kSwitch, WidgetStyle::kMaterial2, 36, 20, draw_material2_switch},
    {Glyph::kSwitch, WidgetStyle::kMaterial3, 52, 32, draw_material3_switch},
    {Glyph::kSwitch, WidgetStyle::kIos, 51, 31, draw_ios_switch},
    {Glyph::kSwitch, WidgetStyle::kHolo, 60, 24, draw_holo_switch},
    {Glyph::kSwitch, WidgetStyle::kVendorPill, 46, 26, draw_vendor_switch},
    {Glyph::kCheckbox, WidgetStyle::kMaterial2, 18, 18, draw_material2_checkbox},
    {Glyph::kCheckbox, WidgetStyle::kMaterial3, 18, 18, draw_material3_checkbox},
    {Glyph::kCheckbox, WidgetStyle::kIos, 22, 22, draw_tick_circle},
    {Glyph::kCheckbox, WidgetStyle::kHolo, 20, 20, draw_holo_checkbox},
    {Glyph::kCheckbox, WidgetStyle::kVendorPill, 20, 20, draw_tick_circle},
    {Glyph::kCheckbox, WidgetStyle::kTickCircle, 20, 20, draw_tick_circle},
    {Glyph::kCheckbox, WidgetStyle::kTrailingCheck, 20, 20, draw_trailing_check},
    {Glyph::kRadio, WidgetStyle::kMaterial2, 20, 20, draw_material2_radio},
    {Glyph::kRadio, WidgetStyle::kMaterial3, 20, 20, draw_material3_radio},
    {Glyph::kRadio, WidgetStyle::kHolo, 22, 22, draw_holo_radio},
    {Glyph::kRadio, WidgetStyle::kVendorPill, 20, 20, draw_vendor_radio},
    {Glyph::kRadio, WidgetStyle::kTickCircle, 20, 20, draw_tick_circle},
};

const WidgetSpec* find_exact(Glyph glyph, WidgetStyle style) {
  for (const WidgetSpec& spec : kWidgetSpecs) {
    if (spec.glyph == glyph && spec.style == style) return &spec;
  }
  return nullptr;
}

const WidgetSpec& find_spec(Glyph glyph, WidgetStyle style) {
  if (const WidgetSpec* spec = find_exact(glyph, style)) return *spec;
  return *find_exact(glyph, WidgetStyle::kMaterial2);
}

bool is_compound(Glyph glyph) {
  return glyph == Glyph::kCheckbox || glyph == Glyph::kSwitch || glyph == Glyph::kRadio;
}

// The widget's box in `area` (px) and its px per dp: the spec's size, centred, shrunk to fit.
std::pair<cv::Rect2d, double> fit(const WidgetSpec& spec, const cv::Rect2d& area, int density) {
  const double unit = density / 160.0;
  const double scale =
      std::min({1.0, area.width / (spec.width_dp * unit), area.height / (spec.height_dp * unit)});
  const double w = spec.width_dp * unit * scale, h = spec.height_dp * unit * scale;
  return {cv::Rect2d(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h),
          unit * scale};
}

}  // namespace

detectors::Rect glyph_area(const NodeStyle& style, const detectors::Rect& bounds, bool has_label) {
  if (!has_label) return bounds;
  const bool is_switch = style.glyph == Glyph::kSwitch;
  const int side =
      std::min(bounds.width() / 3, is_switch ? bounds.height() * 3 / 2 : bounds.height());
  const bool at_end = is_switch || (style.glyph == Glyph::kCheckbox &&
                                    style.widget_style == WidgetStyle::kTrailingCheck);
  if (at_end) return detectors::Rect{bounds.right - side, bounds.top, bounds.right, bounds.bottom};
  return detectors::Rect{bounds.left, bounds.top, bounds.left + side, bounds.bottom};
}

bool is_styled_widget(Glyph glyph, WidgetStyle style) {
  return is_compound(glyph) && style != WidgetStyle::kDefault;
}

detectors::Rect styled_widget_box(Glyph glyph, WidgetStyle style, const detectors::Rect& area,
                                  int density) {
  const cv::Rect2d box = fit(find_spec(glyph, style),
                             cv::Rect2d(area.left, area.top, area.width(), area.height()), density)
                             .first;
  return detectors::Rect{static_cast<int>(std::floor(box.x)), static_cast<int>(std::floor(box.y)),
                         static_cast<int>(std::ceil(box.x + box.width)),
                         static_cast<int>(std::ceil(box.y + box.height))};
}

void draw_styled_widget(cv::Mat& canvas, const cv::Rect2d& area, const StyledWidget& widget,
                        int density) {
  const WidgetSpec& spec = find_spec(widget.glyph, widget.style);
  const auto [box, unit] = fit(spec, area, density);
  if (box.width < 2 || box.height < 2) return;
  const WidgetBrush brush(canvas, box, unit, widget.dark_theme, widget.accent);
  spec.draw(brush, widget.checked);
}

}  // namespace uiw::sim
