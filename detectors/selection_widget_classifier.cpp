#include "detectors/selection_widget_classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

#include "common/error.h"
#include "common/share_paths.h"

namespace uiw::detectors {

const char* to_string(WidgetClass c) {
  static constexpr const char* kNames[] = {"none",        "switch off", "switch on", "checkbox off",
                                           "checkbox on", "radio off",  "radio on"};
  return kNames[static_cast<int>(c)];
}

bool is_on(WidgetClass c) {
  return c == WidgetClass::kSwitchOn || c == WidgetClass::kCheckboxOn || c == WidgetClass::kRadioOn;
}

cv::Mat widget_patch(const cv::Mat& bgr, const Rect& box) {
  const double side = std::max(box.width(), box.height()) * 1.4 + 2;
  const double cx = box.left + box.width() / 2.0, cy = box.top + box.height() / 2.0;
  const int x0 = static_cast<int>(std::floor(cx - side / 2)),
            y0 = static_cast<int>(std::floor(cy - side / 2));
  const int s = static_cast<int>(std::ceil(side));
  const cv::Rect want(x0, y0, s, s);
  const cv::Rect have = want & cv::Rect(0, 0, bgr.cols, bgr.rows);
  cv::Mat square;
  if (have == want) {
    square = bgr(want);
  } else if (have.area() > 0) {
    cv::copyMakeBorder(bgr(have), square, have.y - want.y, want.br().y - have.br().y,
                       have.x - want.x, want.br().x - have.br().x, cv::BORDER_REPLICATE);
  } else {
    return cv::Mat(kWidgetPatchSide, kWidgetPatchSide, CV_8UC3, cv::Scalar::all(0));
  }
  cv::Mat patch;
  cv::resize(square, patch, {kWidgetPatchSide, kWidgetPatchSide}, 0, 0, cv::INTER_AREA);
  return patch;
}

SelectionWidgetClassifier::SelectionWidgetClassifier(const std::filesystem::path& model_file) {
  if (!std::filesystem::exists(model_file))
    throw Error(ErrorKind::kNotFound,
                fmt::format("selection widget model {} not found (it ships in models/ and is "
                            "copied next to the executables by the build)",
                            model_file.string()));
  try {
    net_ = cv::dnn::readNetFromONNX(model_file.string());
  } catch (const cv::Exception& e) {
    throw Error(ErrorKind::kParse, fmt::format("selection widget model {} cannot be read: {}",
                                               model_file.string(), e.what()));
  }
  net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
}

std::filesystem::path SelectionWidgetClassifier::default_model_file() {
  if (const char* dir = std::getenv("UIW_MODEL_DIR"); dir && *dir)
    return std::filesystem::path(dir) / "selection_widget.onnx";
  return shared_path("models/selection_widget.onnx");
}

const SelectionWidgetClassifier& SelectionWidgetClassifier::shared() {
  static const SelectionWidgetClassifier classifier(default_model_file());
  return classifier;
}

std::vector<SelectionWidgetClassifier::Prediction> SelectionWidgetClassifier::classify(
    const cv::Mat& bgr, const std::vector<Rect>& boxes) const {
  std::vector<Prediction> out;
  if (boxes.empty() || bgr.empty()) return out;
  std::vector<cv::Mat> patches;
  patches.reserve(boxes.size());
  for (const Rect& b : boxes) patches.push_back(widget_patch(bgr, b));
  const cv::Mat blob = cv::dnn::blobFromImages(patches, 1.0 / 255, {}, {}, false, false, CV_32F);
  cv::Mat scores;
  {
    const std::lock_guard lock(mutex_);
    net_.setInput(blob);
    scores = net_.forward().clone();
  }
  if (scores.rows != static_cast<int>(boxes.size()) || scores.cols != kWidgetClassCount)
    throw Error(ErrorKind::kParse,
                fmt::format("selection widget model gives {}×{} outputs for {} patches, not {} "
                            "classes each",
                            scores.rows, scores.cols, boxes.size(), kWidgetClassCount));
  for (int i = 0; i < scores.rows; ++i) {
    cv::Point best;
    double p = 0;
    cv::minMaxLoc(scores.row(i), nullptr, &p, nullptr, &best);
    out.push_back({static_cast<WidgetClass>(best.x), p});
  }
  return out;
}

}  // namespace uiw::detectors
