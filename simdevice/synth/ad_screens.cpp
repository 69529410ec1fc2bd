// Ads that interrupt: a full-screen splash / interstitial (as the activity or over a page) and a
// large card over a dimmed page, each with a close mark of 12–40 dp, some faint, or a skip pill.
#include <algorithm>
#include <array>
#include <string>

#include "simdevice/synth/category.h"
#include "simdevice/synth/page_chrome.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

struct AdColours {
  Color background;
  Color shape;   // decorative blocks
  Color ink;     // headline
  Color action;  // the call-to-action button
};

constexpr std::array<AdColours, 7> kAdColours = {{
    {{0xE5, 0x39, 0x35, 255},
     {0xFF, 0x8A, 0x65, 255},
     {0xFF, 0xFF, 0xFF, 255},
     {0xFF, 0xD5, 0x4F, 255}},
    {{0xFF, 0x6D, 0x00, 255},
     {0xFF, 0xB7, 0x4D, 255},
     {0xFF, 0xFF, 0xFF, 255},
     {0xD5, 0x00, 0x00, 255}},
    {{0x1A, 0x23, 0x7E, 255},
     {0x53, 0x6D, 0xFE, 255},
     {0xFF, 0xFF, 0xFF, 255},
     {0x00, 0xE6, 0x76, 255}},
    {{0x6A, 0x1B, 0x9A, 255},
     {0xBA, 0x68, 0xC8, 255},
     {0xFF, 0xFF, 0xFF, 255},
     {0xFF, 0xEB, 0x3B, 255}},
    {{0xFF, 0xF3, 0xE0, 255},
     {0xFF, 0xCC, 0x80, 255},
     {0xBF, 0x36, 0x0C, 255},
     {0xE6, 0x4A, 0x19, 255}},
    {{0x10, 0x10, 0x10, 255},
     {0x42, 0x42, 0x42, 255},
     {0xFF, 0xFF, 0xFF, 255},
     {0x29, 0x79, 0xFF, 255}},
    {{0xE0, 0xF7, 0xFA, 255},
     {0x80, 0xDE, 0xEA, 255},
     {0x00, 0x60, 0x64, 255},
     {0x00, 0x96, 0x88, 255}},
}};

// The creative: flat shapes for the picture, a headline, a line under it and a call to action.
// Ad SDKs draw it in their own views or a WebView: often absent from the dump.
void add_creative(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& parent,
                  const Rect& area, const AdColours& colours) {
  const bool in_tree = screen.random().chance(0.5);
  const int w = area.width(), h = area.height();
  for (int i = 0; i < screen.random().between(1, 3); ++i) {
    const int side = static_cast<int>(w * screen.random().uniform(0.3, 0.7));
    const int x = area.left + screen.random().between(0, std::max(0, w - side));
    const int y = area.top + screen.random().between(0, std::max(0, h / 2 - side / 2));
    SceneNode shape = screen.block(Rect{x, y, x + side, y + side}, colours.shape,
                                   screen.random().chance(0.5) ? side : 16);
    shape.in_tree = false;
    parent.children.push_back(std::move(shape));
  }
  const int pad = screen.px(20);
  const std::string headline = screen.pick_text(screen.phrases().ad_headlines);
  const int headline_h = text_block_height(screen, headline, 28, w - 2 * pad);
  const int y = area.top + h * 55 / 100;
  SceneNode title = screen.text(Rect{area.left + pad, y, area.right - pad, y + headline_h},
                                headline, 28, colours.ink, Gravity::kCenter, true);
  title.in_tree = in_tree;
  parent.children.push_back(std::move(title));
  const int bh = screen.px(48), bw = std::min(w - 2 * pad, screen.px(220));
  const int by = std::min(area.bottom - bh - pad, y + headline_h + screen.px(24));
  SceneNode action =
      widgets.button(ButtonEmphasis::kFilled,
                     Rect{area.center_x() - bw / 2, by, area.center_x() - bw / 2 + bw, by + bh},
                     screen.pick_text(screen.phrases().ad_actions), colours.action);
  action.style.corner_radius_dp = 24;
  action.in_tree = in_tree;
  parent.children.push_back(std::move(action));
}

CloseMarkSpec draw_close_spec(ScreenBuilder& screen, Color backdrop) {
  CloseMarkSpec spec;
  spec.size_dp = screen.random().uniform(12, 40);
  const std::array<double, 3> looks = {0.35, 0.25, 0.4};
  spec.look = static_cast<CloseMarkLook>(screen.random().weighted(looks));
  const bool dark_backdrop = luminance(backdrop) < 0.5 || spec.look == CloseMarkLook::kCrossOnDisc;
  spec.color = dark_backdrop ? Color{0xF0, 0xF0, 0xF0, 255} : Color{0x42, 0x42, 0x42, 255};
  if (screen.random().chance(0.25)) spec.opacity = screen.random().uniform(0.25, 0.5);
  return spec;
}

// "跳过 5" / "Skip 5" in a translucent pill: a button, and on splash ads the only way out.
SceneNode skip_pill(ScreenBuilder& screen, WidgetFactory& widgets, int right, int top) {
  const std::string text =
      std::string(screen.phrases().skip) + " " + std::to_string(screen.random().between(1, 5));
  const int w = screen.px(72), h = screen.px(30);
  SceneNode pill = widgets.button(ButtonEmphasis::kTonal, Rect{right - w, top, right, top + h},
                                  text, Color{0, 0, 0, 0x73});
  pill.style.text_color = Color{0xFF, 0xFF, 0xFF, 255};
  pill.style.font_size_sp = 13;
  pill.style.corner_radius_dp = 15;
  return pill;
}

// A close mark (or a skip pill) in a corner of the whole screen.
void add_corner_exit(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& parent, int top,
                     Color backdrop) {
  const int margin = screen.px(screen.random().uniform(12, 24));
  const bool skip = screen.random().chance(0.35);
  if (skip)
    parent.children.push_back(skip_pill(screen, widgets, screen.width() - margin, top + margin));
  if (skip && screen.random().chance(0.5)) return;
  const CloseMarkSpec spec = draw_close_spec(screen, backdrop);
  const int half = screen.px(spec.size_dp) / 2;
  const bool left = skip || screen.random().chance(0.3);
  const int cx = left ? margin + half : screen.width() - margin - half;
  const int cy = top + margin + half + (skip && !left ? screen.px(40) : 0);
  parent.children.push_back(widgets.close_mark(cx, cy, spec));
}

// The app's own band under a splash ad: its name on the surface.
int add_brand_band(ScreenBuilder& screen, SceneNode& parent) {
  const int h = screen.px(screen.random().uniform(90, 130));
  const Rect band{0, screen.bottom() - h, screen.width(), screen.bottom()};
  SceneNode node = screen.block(band, screen.theme().surface);
  node.children.push_back(
      screen.text(band, screen.language() == Language::kChinese ? "好物优选" : "DailyShop", 22,
                  screen.theme().on_surface, Gravity::kCenter, true));
  parent.children.push_back(std::move(node));
  return band.top;
}

void label_full_screen(ScreenBuilder& screen) {
  const Rect whole{0, 0, screen.width(), screen.height()};
  screen.label(category::kInterstitial, whole);
  screen.label(category::kNagging, whole);
}

// The whole screen is the ad, in the current layer.
void fill_full_screen_ad(ScreenBuilder& screen) {
  WidgetFactory widgets(screen);
  const AdColours& colours = screen.pick(std::span(kAdColours));
  screen.layer().background = colours.background;
  SceneNode root =
      screen.view("android.widget.FrameLayout", Rect{0, 0, screen.width(), screen.height()});
  root.ui.resource_id = screen.id("ad_container");
  const int bottom = screen.random().chance(0.5) ? add_brand_band(screen, root) : screen.bottom();
  add_creative(screen, widgets, root, Rect{0, screen.top(), screen.width(), bottom}, colours);
  add_corner_exit(screen, widgets, root, screen.top(), colours.background);
  screen.layer().nodes.push_back(std::move(root));
}

// A large ad card over the dimmed page, its close above the corner or under the card.
void add_ad_card(ScreenBuilder& screen) {
  WidgetFactory widgets(screen);
  const AdColours& colours = screen.pick(std::span(kAdColours));
  const int w = static_cast<int>(screen.width() * screen.random().uniform(0.75, 0.9));
  const int h = std::min(static_cast<int>(w * screen.random().uniform(1.1, 1.45)),
                         screen.bottom() - screen.top() - screen.px(140));
  const int left = (screen.width() - w) / 2;
  const int top = (screen.top() + screen.bottom()) / 2 - h / 2 - screen.px(20);
  const Rect card{left, top, left + w, top + h};
  SceneNode node = screen.block(card, colours.background, screen.random().uniform(8, 20),
                                "android.widget.FrameLayout");
  node.ui.resource_id = screen.id("ad_dialog");
  add_creative(screen, widgets, node, card, colours);
  screen.layer().nodes.push_back(std::move(node));
  screen.cover(card);

  CloseMarkSpec spec = draw_close_spec(screen, Color{0x30, 0x30, 0x30, 255});
  const int half = screen.px(spec.size_dp) / 2;
  if (screen.random().chance(0.5)) {
    spec.look = CloseMarkLook::kCircledCross;
    screen.layer().nodes.push_back(
        widgets.close_mark(card.center_x(), card.bottom + screen.px(24) + half, spec));
  } else {
    screen.layer().nodes.push_back(
        widgets.close_mark(card.right - half, card.top - screen.px(12) - half, spec));
  }
  screen.label(category::kDialogCard, card);
  screen.label(category::kNagging, card);
}

}  // namespace

void build_interstitial_page(ScreenBuilder& screen) {
  if (screen.random().chance(0.6)) screen.hide_status_bar();
  fill_full_screen_ad(screen);
  label_full_screen(screen);
}

void add_ad_overlay(ScreenBuilder& screen) {
  screen.open_popup(screen.random().uniform(0.55, 0.8));
  if (screen.random().chance(0.6)) {
    add_ad_card(screen);
    return;
  }
  fill_full_screen_ad(screen);
  screen.cover(Rect{0, 0, screen.width(), screen.height()});
  label_full_screen(screen);
}

}  // namespace uiw::sim::synth
