#include "harness/coco_labels.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace uiw::harness {

CocoLabels CocoLabels::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kNotFound, fmt::format("cannot read labels {}", path));
  CocoLabels labels;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    std::map<int, std::string> category;
    for (const auto& c : j.at("categories")) {
      category[c.at("id").get<int>()] = c.at("name").get<std::string>();
    }
    for (const auto& [id, name] : category) labels.categories.push_back(name);
    std::map<int, size_t> image_index;
    for (const auto& i : j.at("images")) {
      LabelledImage image;
      image.id = i.at("id").get<int>();
      image.file_name = i.at("file_name").get<std::string>();
      image.width = i.value("width", 0);
      image.height = i.value("height", 0);
      image_index[image.id] = labels.images.size();
      labels.images.push_back(std::move(image));
    }
    for (const auto& a : j.at("annotations")) {
      const int image_id = a.at("image_id").get<int>();
      const int category_id = a.at("category_id").get<int>();
      auto img = image_index.find(image_id);
      auto cat = category.find(category_id);
      if (img == image_index.end() || cat == category.end())
        throw Error(ErrorKind::kConfig,
                    fmt::format("{}: annotation {} names image {} or category {} that is not "
                                "listed",
                                path, a.value("id", -1), image_id, category_id));
      const auto& b = a.at("bbox");
      const double x = b.at(0).get<double>(), y = b.at(1).get<double>();
      const double w = b.at(2).get<double>(), h = b.at(3).get<double>();
      labels.images[img->second].boxes[cat->second].push_back(
          detectors::Rect{static_cast<int>(x), static_cast<int>(y), static_cast<int>(x + w),
                          static_cast<int>(y + h)});
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: not COCO labels: {}", path, e.what()));
  }
  return labels;
}

}  // namespace uiw::harness
