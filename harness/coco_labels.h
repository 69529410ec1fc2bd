#pragma once
// COCO-style labels of an image folder (the AidUI/ContextDP format): images, categories and
// [x, y, w, h] boxes, read for `uiwitness eval`.
#include <map>
#include <string>
#include <vector>

#include "detectors/rect.h"

namespace uiw::harness {

struct LabelledImage {
  int id = 0;
  std::string file_name;  // as written in the labels ("images/NAME.jpg")
  int width = 0;
  int height = 0;
  std::map<std::string, std::vector<detectors::Rect>> boxes;  // category name → boxes
};

struct CocoLabels {
  std::vector<std::string> categories;  // names, in id order
  std::vector<LabelledImage> images;    // in file order

  // Throws uiw::Error(kConfig) naming the file for anything that is not COCO detection JSON.
  static CocoLabels load(const std::string& path);
};

}  // namespace uiw::harness
