#pragma once
// labels.coco.json as `uiwitness eval` and COCO tools read it: images (id, file_name, width,
// height, and ours: the screen's kind and whether it is a screen recording, to slice results
// by), categories (id, name) and annotations (id, image_id, category_id, bbox [x, y, w, h], area,
// iscrowd 0), ids from 1 in the order images were added.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "simdevice/synth/labelled_screen.h"

namespace uiw::sim::synth {

class CocoWriter {
 public:
  void add_image(const std::string& file_name, int width, int height, std::string_view kind,
                 bool screen_recording, const std::vector<Annotation>& annotations);

  // Throws uiw::Error(kIo) naming the file when it cannot be written.
  void write(const std::filesystem::path& path) const;

  // Annotations per category name, every category present (0 when unused).
  std::map<std::string, int> category_counts() const;

 private:
  struct Image {
    std::string file_name;
    int width;
    int height;
    std::string kind;
    bool screen_recording;
    std::vector<Annotation> annotations;
  };
  std::vector<Image> images_;
};

}  // namespace uiw::sim::synth
