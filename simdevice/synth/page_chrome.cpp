#include "simdevice/synth/page_chrome.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "simdevice/synth/distractors.h"

namespace uiw::sim::synth {

using detectors::Rect;

void add_toolbar(ScreenBuilder& screen, std::string title) {
  const Theme& theme = screen.theme();
  const bool accent_bar = !theme.dark && screen.random().chance(0.3);
  const Color fill = accent_bar ? theme.accent : theme.surface;
  const Color ink = accent_bar ? theme.on_accent : theme.on_surface;
  const int top = screen.top();
  const Rect bar{0, top, screen.width(), top + screen.px(56)};
  SceneNode toolbar = screen.block(bar, fill, 0, "android.view.ViewGroup");
  toolbar.ui.resource_id = screen.id("toolbar");
  const bool centred = theme.system->name == "ios" || screen.random().chance(0.3);
  const int arrow = screen.px(48);
  const int icon = screen.px(36);  // the arrow glyph spans about half its node: a 20 dp arrow
  const int inset = (arrow - icon) / 2;
  SceneNode up = screen.view("android.widget.ImageButton",
                             Rect{screen.px(4) + inset, top + screen.px(4) + inset,
                                  screen.px(4) + inset + icon, top + screen.px(4) + inset + icon});
  up.ui.content_desc = "Navigate up";
  up.ui.clickable = true;
  up.style.glyph = Glyph::kArrowLeft;
  up.style.glyph_color = ink;
  toolbar.children.push_back(std::move(up));
  const Rect title_box =
      centred ? Rect{arrow + screen.px(8), top, screen.width() - arrow - screen.px(8), bar.bottom}
              : Rect{arrow + screen.px(16), top, screen.width() - screen.px(16), bar.bottom};
  toolbar.children.push_back(screen.text(title_box, std::move(title), 20, ink,
                                         centred ? Gravity::kCenter : Gravity::kLeft,
                                         screen.random().chance(0.5)));
  screen.layer().nodes.push_back(std::move(toolbar));
  screen.set_top(bar.bottom);
}

void add_bottom_tabs(ScreenBuilder& screen) {
  const Theme& theme = screen.theme();
  const int count = screen.random().between(4, 5);
  const int bottom = screen.bottom();
  const Rect bar{0, bottom - screen.px(56), screen.width(), bottom};
  SceneNode tabs = screen.block(bar, theme.surface, 0, "android.widget.LinearLayout");
  tabs.ui.resource_id = screen.id("bottom_navigation");
  tabs.children.push_back(
      screen.block(Rect{0, bar.top, screen.width(), bar.top + 1}, theme.divider));
  const int w = screen.width() / count;
  const auto labels = screen.phrases().tab_labels;
  const int first = screen.random().between(0, static_cast<int>(labels.size()) - count);
  for (int i = 0; i < count; ++i) {
    const Color ink = i == 0 ? theme.accent : theme.muted;
    const int cx = i * w + w / 2;
    const int side = screen.px(22);
    const Rect box{cx - side / 2, bar.top + screen.px(7), cx + side / 2,
                   bar.top + screen.px(7) + side};
    if (screen.random().chance(0.5)) {
      tabs.children.push_back(icon(screen, box));
    } else {
      SceneNode dot = screen.block(box, ink, i == 0 ? 11 : 6);
      dot.in_tree = false;
      tabs.children.push_back(std::move(dot));
    }
    SceneNode label = screen.text(Rect{i * w, bar.top + screen.px(30), (i + 1) * w, bar.bottom},
                                  std::string(labels[first + i]), 11, ink, Gravity::kCenter);
    label.ui.selected = i == 0;
    tabs.children.push_back(std::move(label));
  }
  screen.layer().nodes.push_back(std::move(tabs));
  screen.set_bottom(bar.top);
}

namespace {

// Noto Sans CJK: an ideograph is 1 em wide, Latin letters about 0.56 em on average.
double width_ems(std::string_view text) {
  double ems = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    ems += length >= 3 ? 1.0 : text[i] == ' ' ? 0.3 : 0.56;
    i += length;
  }
  return ems;
}

}  // namespace

int text_width(const ScreenBuilder& screen, std::string_view text, double sp) {
  return static_cast<int>(std::lround(width_ems(text) * sp * screen.geometry().density / 160.0));
}

int text_block_height(const ScreenBuilder& screen, std::string_view text, double sp, int width_px) {
  const double font_px = sp * screen.geometry().density / 160.0;
  const double usable = std::max(1.0, width_px - 2 * screen.px(4) - font_px);
  const int lines = std::max(1, static_cast<int>(std::ceil(width_ems(text) * font_px / usable)));
  return static_cast<int>(std::lround((lines * 1.35 + 0.4) * font_px));
}

}  // namespace uiw::sim::synth
