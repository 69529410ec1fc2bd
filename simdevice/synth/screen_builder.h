#pragma once
// What every screen kind builds with: the phone, the theme and language drawn for this screen,
// its layers (the page, then pop-up windows), node helpers in dp, and the labels, kept per layer
// so a pop-up hides the page's labels under it.
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simdevice/synth/labelled_screen.h"
#include "simdevice/synth/phrase_book.h"
#include "simdevice/synth/random_source.h"
#include "simdevice/synth/screen_geometry.h"
#include "simdevice/synth/theme.h"

namespace uiw::sim::synth {

enum class NavigationBar { kNone, kGesturePill, kThreeButton };

class ScreenBuilder {
 public:
  // Draws the phone, theme, language and system bars from `random`.
  explicit ScreenBuilder(RandomSource& random);

  RandomSource& random() { return random_; }
  const ScreenGeometry& geometry() const { return geometry_; }
  const Theme& theme() const { return theme_; }
  Language language() const { return language_; }
  const PhraseBook& phrases() const { return PhraseBook::of(language_); }
  int px(double dp) const { return geometry_.px(dp); }
  int width() const { return geometry_.width; }
  int height() const { return geometry_.height; }
  // The page's free area: under the status bar (and toolbar once added), above the navigation bar.
  int top() const { return top_; }
  int bottom() const { return bottom_; }
  void set_top(int y) { top_ = y; }
  void set_bottom(int y) { bottom_ = y; }
  // Full-screen content (splash ads): no status bar, the page starts at the top.
  void hide_status_bar();

  // Picks `items` at random: a phrase, a colour.
  template <typename Range>
  const auto& pick(const Range& items) {
    return random_.pick(items);
  }
  std::string pick_text(std::span<const std::string_view> items) {
    return std::string(random_.pick(items));
  }
  // The same, avoiding what this screen already showed (a settings page does not list "Dark
  // mode" twice) as long as a few draws find something new.
  template <typename Range>
  const auto& pick_fresh(const Range& items) {
    for (int attempt = 0; attempt < 12; ++attempt) {
      const auto& item = random_.pick(items);
      if (shown_.insert(&item).second) return item;
    }
    return random_.pick(items);
  }
  std::string pick_fresh_text(std::span<const std::string_view> items) {
    return std::string(pick_fresh(items));
  }

  // The layer nodes are added to: the page, or the last pop-up opened.
  SceneLayer& layer() { return scene_.layers.back(); }
  // A pop-up window above everything so far, with a dim backdrop (0 for none). A pop-up asks for
  // the decision now: DEFAULT CHOICE labels of the page under it are dropped.
  SceneLayer& open_popup(double dim);
  // An opaque surface of the current layer hides what is under it: lower layers' labels that
  // overlap it are dropped.
  void cover(const detectors::Rect& surface);

  void label(std::string_view category, const detectors::Rect& box);
  // Moves the current layer's labels down by `dy` px, with the nodes they box (a sheet laid out
  // before its height was known).
  void shift_labels_of_current_layer(int dy);
  bool has_label(std::string_view category) const;

  std::string id(std::string_view name) const { return package_ + ":id/" + std::string(name); }
  const std::string& package() const { return package_; }

  // Nodes, bounds in screen px.
  SceneNode view(std::string class_name, const detectors::Rect& bounds) const;
  SceneNode text(const detectors::Rect& bounds, std::string text, double sp, Color color,
                 Gravity gravity = Gravity::kLeft, bool bold = false) const;
  // A flat fill (a card, an image placeholder, a divider), drawn and dumped as a View.
  SceneNode block(const detectors::Rect& bounds, Color fill, double corner_dp = 0,
                  std::string class_name = "android.view.View") const;

  // Adds the navigation bar, the NO DP label when no dark pattern was labelled, and hands over.
  LabelledScreen finish(std::string_view kind);

 private:
  struct LayerLabel {
    Annotation annotation;
    size_t layer;
  };

  void add_navigation_bar(SceneLayer& page);

  RandomSource& random_;
  ScreenGeometry geometry_;
  Theme theme_;
  Language language_;
  NavigationBar navigation_bar_;
  std::string package_;
  Scene scene_;
  int top_ = 0;
  int bottom_ = 0;
  std::vector<LayerLabel> labels_;
  std::set<const void*> shown_;  // phrases already on the screen
};

// The smallest rectangle holding both.
detectors::Rect unite(const detectors::Rect& a, const detectors::Rect& b);

}  // namespace uiw::sim::synth
