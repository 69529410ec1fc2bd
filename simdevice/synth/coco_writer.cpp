#include "simdevice/synth/coco_writer.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "simdevice/synth/category.h"

namespace uiw::sim::synth {

void CocoWriter::add_image(const std::string& file_name, int width, int height,
                           std::string_view kind, bool screen_recording,
                           const std::vector<Annotation>& annotations) {
  images_.push_back(
      Image{file_name, width, height, std::string(kind), screen_recording, annotations});
}

void CocoWriter::write(const std::filesystem::path& path) const {
  nlohmann::json categories = nlohmann::json::array();
  for (std::string_view name : kCategories) {
    categories.push_back({{"id", category_id(name)}, {"name", std::string(name)}});
  }
  nlohmann::json images = nlohmann::json::array();
  nlohmann::json annotations = nlohmann::json::array();
  int annotation_id = 0;
  for (size_t i = 0; i < images_.size(); ++i) {
    const Image& image = images_[i];
    const int image_id = static_cast<int>(i) + 1;
    images.push_back({{"id", image_id},
                      {"file_name", image.file_name},
                      {"width", image.width},
                      {"height", image.height},
                      {"kind", image.kind},
                      {"screen_recording", image.screen_recording}});
    for (const Annotation& a : image.annotations) {
      const auto& b = a.box;
      annotations.push_back({{"id", ++annotation_id},
                             {"image_id", image_id},
                             {"category_id", category_id(a.category)},
                             {"bbox", {b.left, b.top, b.width(), b.height()}},
                             {"area", b.area()},
                             {"iscrowd", 0}});
    }
  }
  const nlohmann::json coco = {{"info", {{"description", "uiwitness-synth labelled screens"}}},
                               {"images", images},
                               {"categories", categories},
                               {"annotations", annotations}};
  std::ofstream out(path, std::ios::binary);
  out << coco.dump(1) << '\n';
  if (!out) throw Error(ErrorKind::kIo, fmt::format("cannot write {}", path.string()));
}

std::map<std::string, int> CocoWriter::category_counts() const {
  std::map<std::string, int> counts;
  for (std::string_view name : kCategories) counts[std::string(name)] = 0;
  for (const Image& image : images_) {
    for (const Annotation& a : image.annotations) ++counts[std::string(a.category)];
  }
  return counts;
}

}  // namespace uiw::sim::synth
