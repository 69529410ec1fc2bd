#include "detectors/image_file.h"

#include <fmt/format.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "common/error.h"

namespace uiw::detectors {
namespace {

uint32_t be32(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}
uint16_t be16(std::string_view b, size_t at) {
  return static_cast<uint16_t>((uint8_t(b[at]) << 8) | uint8_t(b[at + 1]));
}

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw Error(ErrorKind::kParse, fmt::format("{}: {}", source, what));
}

// Width and height from the PNG IHDR or the first JPEG SOF marker.
cv::Size header_size(std::string_view b, const std::string& source) {
  static constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n";
  if (b.substr(0, 8) == kPng) {
    if (b.size() < 33 || b.substr(12, 4) != "IHDR") fail(source, "truncated PNG header");
    return cv::Size(static_cast<int>(std::min<uint32_t>(be32(b, 16), 1u << 30)),
                    static_cast<int>(std::min<uint32_t>(be32(b, 20), 1u << 30)));
  }
  if (b.size() >= 3 && uint8_t(b[0]) == 0xFF && uint8_t(b[1]) == 0xD8) {
    for (size_t i = 2; i + 9 < b.size();) {
      if (uint8_t(b[i]) != 0xFF) {
        ++i;
        continue;
      }
      const uint8_t marker = uint8_t(b[i + 1]);
      if (marker == 0xFF) {
        ++i;
        continue;
      }
      const bool sof =
          marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) return cv::Size(be16(b, i + 7), be16(b, i + 5));
      if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
        i += 2;
        continue;
      }
      i += 2 + be16(b, i + 2);
    }
    fail(source, "JPEG without a frame header (truncated or corrupt)");
  }
  fail(source, "not a PNG or JPEG image");
}

}  // namespace

cv::Mat decode_image(std::string_view bytes, const std::string& source, const ImageLimits& limits) {
  if (bytes.empty()) fail(source, "empty image file");
  const cv::Size size = header_size(bytes, source);
  if (size.width <= 0 || size.height <= 0) fail(source, "image header gives a zero size");
  if (size.width > limits.max_side || size.height > limits.max_side ||
      static_cast<long>(size.width) * size.height > limits.max_pixels)
    fail(source,
         fmt::format("image is {}×{} px, over the limit of {} px per side and {} Mpx", size.width,
                     size.height, limits.max_side, limits.max_pixels / 1000000));
  // libjpeg fills a truncated JPEG with grey and only warns: require its end marker.
  if (uint8_t(bytes[0]) == 0xFF &&
      bytes.substr(bytes.size() > 64 ? bytes.size() - 64 : 0).find("\xFF\xD9") ==
          std::string_view::npos)
    fail(source, "truncated JPEG (no end-of-image marker)");
  cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1,
              const_cast<char*>(bytes.data()));  // imdecode only reads it
  cv::Mat image = cv::imdecode(raw, cv::IMREAD_COLOR);
  if (image.empty()) fail(source, "corrupt or truncated image data");
  return image;
}

cv::Mat read_image_file(const std::string& path, const ImageLimits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, fmt::format("cannot read image {}", path));
  std::ostringstream data;
  data << in.rdbuf();
  return decode_image(data.str(), path, limits);
}

}  // namespace uiw::detectors
