#include "simdevice/synth/screen_builder.h"

#include <algorithm>
#include <array>

#include "simdevice/synth/category.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

constexpr std::array<std::string_view, 8> kPackages = {
    "com.uiw.synth.news",   "com.uiw.synth.shop",  "com.uiw.synth.video", "com.uiw.synth.music",
    "com.uiw.synth.travel", "com.uiw.synth.notes", "com.uiw.synth.bank",  "com.uiw.synth.food"};

constexpr double kStatusBarDp = 24;  // as the renderer draws it

double navigation_bar_dp(NavigationBar bar) {
  switch (bar) {
    case NavigationBar::kNone:
      return 0;
    case NavigationBar::kGesturePill:
      return 20;
    case NavigationBar::kThreeButton:
      return 48;
  }
  return 0;
}

bool overlaps(const Rect& a, const Rect& b) {
  return !a.intersect(b).empty();
}

}  // namespace

Rect unite(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Rect{std::min(a.left, b.left), std::min(a.top, b.top), std::max(a.right, b.right),
              std::max(a.bottom, b.bottom)};
}

ScreenBuilder::ScreenBuilder(RandomSource& random)
    : random_(random),
      geometry_(ScreenGeometry::draw(random)),
      theme_(Theme::draw(random)),
      language_(random.chance(0.55) ? Language::kChinese : Language::kEnglish) {
  const std::array<double, 3> bar_weights = {0.35, 0.35, 0.30};
  navigation_bar_ = static_cast<NavigationBar>(random.weighted(bar_weights));
  package_ = std::string(random.pick(std::span(kPackages)));
  scene_.width = geometry_.width;
  scene_.height = geometry_.height;
  scene_.density = geometry_.density;
  scene_.status_bar = random.chance(0.8);
  scene_.clock_text =
      std::to_string(random.between(7, 23)) + ":" + std::to_string(random.between(10, 59));
  SceneLayer page;
  page.package = package_;
  page.background = theme_.background;
  scene_.layers.push_back(std::move(page));
  top_ = scene_.status_bar ? px(kStatusBarDp) : 0;
  bottom_ = geometry_.height - px(navigation_bar_dp(navigation_bar_));
}

void ScreenBuilder::hide_status_bar() {
  scene_.status_bar = false;
  top_ = 0;
}

SceneLayer& ScreenBuilder::open_popup(double dim) {
  std::erase_if(labels_, [](const LayerLabel& l) {
    return l.annotation.category == category::kDefaultChoice;
  });
  SceneLayer popup;
  popup.package = package_;
  popup.dim = dim;
  popup.dialog_window = true;
  scene_.layers.push_back(std::move(popup));
  return scene_.layers.back();
}

void ScreenBuilder::cover(const Rect& surface) {
  const size_t current = scene_.layers.size() - 1;
  std::erase_if(labels_, [&](const LayerLabel& l) {
    return l.layer < current && overlaps(l.annotation.box, surface);
  });
}

void ScreenBuilder::label(std::string_view category, const Rect& box) {
  const Rect clipped = box.intersect(Rect{0, 0, geometry_.width, geometry_.height});
  if (clipped.empty()) return;
  labels_.push_back({Annotation{category, clipped}, scene_.layers.size() - 1});
}

void ScreenBuilder::shift_labels_of_current_layer(int dy) {
  const size_t current = scene_.layers.size() - 1;
  const Rect screen{0, 0, geometry_.width, geometry_.height};
  for (LayerLabel& l : labels_) {
    if (l.layer != current) continue;
    l.annotation.box.top += dy;
    l.annotation.box.bottom += dy;
    l.annotation.box = l.annotation.box.intersect(screen);
  }
  std::erase_if(labels_, [](const LayerLabel& l) { return l.annotation.box.empty(); });
}

bool ScreenBuilder::has_label(std::string_view category) const {
  return std::any_of(labels_.begin(), labels_.end(),
                     [&](const LayerLabel& l) { return l.annotation.category == category; });
}

SceneNode ScreenBuilder::view(std::string class_name, const Rect& bounds) const {
  SceneNode node;
  node.ui.class_name = std::move(class_name);
  node.ui.bounds = bounds;
  return node;
}

SceneNode ScreenBuilder::text(const Rect& bounds, std::string content, double sp, Color color,
                              Gravity gravity, bool bold) const {
  SceneNode node = view("android.widget.TextView", bounds);
  node.ui.text = std::move(content);
  node.style.font_size_sp = sp;
  node.style.text_color = color;
  node.style.gravity = gravity;
  node.style.bold = bold;
  return node;
}

SceneNode ScreenBuilder::block(const Rect& bounds, Color fill, double corner_dp,
                               std::string class_name) const {
  SceneNode node = view(std::move(class_name), bounds);
  node.style.background = fill;
  node.style.corner_radius_dp = corner_dp;
  return node;
}

void ScreenBuilder::add_navigation_bar(SceneLayer& page) {
  if (navigation_bar_ == NavigationBar::kNone) return;
  const Rect bar{0, bottom_, geometry_.width, geometry_.height};
  // System UI, not the app: drawn, never in the app's dump.
  SceneNode background = block(bar, theme_.dark ? Color{0, 0, 0, 255} : theme_.background);
  background.in_tree = false;
  const Color ink = theme_.dark ? Color{0xE0, 0xE0, 0xE0, 255} : Color{0x5F, 0x63, 0x68, 255};
  const int cy = bar.center_y();
  if (navigation_bar_ == NavigationBar::kGesturePill) {
    const int w = px(108) / 2, h = std::max(2, px(4) / 2);
    SceneNode pill = block(Rect{bar.center_x() - w, cy - h, bar.center_x() + w, cy + h}, ink, 2);
    pill.in_tree = false;
    background.children.push_back(std::move(pill));
  } else {
    const int s = px(18) / 2;
    const int step = geometry_.width / 4;
    SceneNode back = view("android.view.View", Rect{step - s, cy - s, step + s, cy + s});
    back.style.glyph = Glyph::kArrowLeft;
    back.style.glyph_color = ink;
    SceneNode home = block(Rect{2 * step - s, cy - s, 2 * step + s, cy + s}, Color{0, 0, 0, 0}, 9);
    home.style.border = ink;
    home.style.border_width_dp = 2;
    SceneNode recents =
        block(Rect{3 * step - s, cy - s, 3 * step + s, cy + s}, Color{0, 0, 0, 0}, 2);
    recents.style.border = ink;
    recents.style.border_width_dp = 2;
    for (SceneNode* n : {&back, &home, &recents}) {
      n->in_tree = false;
      background.children.push_back(std::move(*n));
    }
  }
  page.nodes.push_back(std::move(background));
}

LabelledScreen ScreenBuilder::finish(std::string_view kind) {
  add_navigation_bar(scene_.layers.front());
  if (!has_label(category::kDefaultChoice) && !has_label(category::kNagging)) {
    label(category::kNoDarkPattern, Rect{0, 0, geometry_.width, geometry_.height});
  }
  LabelledScreen out;
  out.scene = std::move(scene_);
  out.kind = kind;
  for (const LayerLabel& l : labels_) out.annotations.push_back(l.annotation);
  return out;
}

}  // namespace uiw::sim::synth
