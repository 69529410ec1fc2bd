#pragma once
// Turns a Scene into the pixels `screencap` returns: layers bottom-up, each node's background,
// border, text (Noto Sans CJK via FreeType, so Tesseract reads it back like a phone's screen),
// glyphs and images, with opacity and dim backdrops blended as Android composes them.
#include <memory>
#include <opencv2/core.hpp>

#include "simdevice/scene.h"

namespace uiw::sim {

class ScreenRenderer {
 public:
  // Loads Noto Sans CJK (Regular + Bold) once; throws uiw::Error(kNotFound) naming the font
  // path if it is missing.
  ScreenRenderer();
  ~ScreenRenderer();
  ScreenRenderer(const ScreenRenderer&) = delete;
  ScreenRenderer& operator=(const ScreenRenderer&) = delete;

  // CV_8UC3 BGR, scene.width × scene.height. Safe to call from several threads.
  cv::Mat render(const Scene& scene) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace uiw::sim
