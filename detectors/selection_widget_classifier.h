#pragma once
// The learned part of the element layer: a small convolutional network that looks at a patch of
// the screen around a candidate box and says whether a switch, checkbox or radio button is drawn
// there and whether it is on. Trained by `make train` on generated screens only (see
// train/README.md); run here by OpenCV's DNN module from the ONNX file that ships in models/.
#include <filesystem>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <vector>

#include "detectors/rect.h"

namespace uiw::detectors {

// The network's classes, in the order of its outputs.
enum class WidgetClass {
  kNone,
  kSwitchOff,
  kSwitchOn,
  kCheckboxOff,
  kCheckboxOn,
  kRadioOff,
  kRadioOn
};
inline constexpr int kWidgetClassCount = 7;

const char* to_string(WidgetClass c);
// A switch, checkbox or radio that is on.
bool is_on(WidgetClass c);

// The patch the network sees for `box`: a square centred on it, 1.4 times its longer side,
// brought to kWidgetPatchSide × kWidgetPatchSide BGR (the frame's border repeated where the square
// leaves it). Training cuts its examples with this same function.
inline constexpr int kWidgetPatchSide = 32;
cv::Mat widget_patch(const cv::Mat& bgr, const Rect& box);

class SelectionWidgetClassifier {
 public:
  struct Prediction {
    WidgetClass label = WidgetClass::kNone;
    double probability = 0;
  };

  // Throws Error (not found / parse) naming the file when it is missing or not a model
  // of this shape.
  explicit SelectionWidgetClassifier(const std::filesystem::path& model_file);

  // $UIW_MODEL_DIR/selection_widget.onnx when set, else the one shipped next to the executables.
  static std::filesystem::path default_model_file();
  // The default model, loaded once per process on first use (throws as the constructor does).
  static const SelectionWidgetClassifier& shared();

  // One prediction per box of the BGR frame, in order. Thread-safe.
  std::vector<Prediction> classify(const cv::Mat& bgr, const std::vector<Rect>& boxes) const;

 private:
  mutable std::mutex mutex_;  // cv::dnn::Net::forward changes the net
  mutable cv::dnn::Net net_;
};

}  // namespace uiw::detectors
