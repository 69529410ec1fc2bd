#pragma once
// A "screen recording" frame: the phone's screen scaled into a landscape desktop-like canvas
// (a grey or dark surround, maybe a window title bar and a bezel), as reviewers capture mirrored
// phones. Labels and the dump's bounds are mapped into the canvas, so the pair stays aligned.
#include <opencv2/core.hpp>

#include "detectors/rect.h"
#include "detectors/ui_tree.h"
#include "simdevice/screen_renderer.h"
#include "simdevice/synth/random_source.h"

namespace uiw::sim::synth {

class ScreenRecording {
 public:
  // Draws the canvas size, surround, title bar, bezel and placement for a phone of `phone` px.
  static ScreenRecording draw(RandomSource& random, cv::Size phone);

  cv::Mat compose(const cv::Mat& phone_image, const ScreenRenderer& renderer) const;
  // A phone rectangle in canvas px: scaled, shifted, and grown to whole pixels.
  detectors::Rect map(const detectors::Rect& phone_box) const;
  void map(detectors::UiTree& tree) const;

  cv::Size canvas() const { return canvas_; }

 private:
  cv::Size canvas_;
  cv::Rect phone_area_;  // where the scaled phone lands
  double scale_ = 1;
  Color surround_;
  int title_bar_height_ = 0;
  Color title_bar_;
  std::string title_;
  int bezel_ = 0;
};

}  // namespace uiw::sim::synth
