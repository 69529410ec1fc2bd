#pragma once
// Reading screenshots from files or bytes without trusting them: a truncated or corrupt PNG, an
// empty file or a 20000×20000 "screenshot" must give a clear error, not a crash or gigabytes of
// pixels. The size is read from the header before anything is decoded.
#include <opencv2/core.hpp>
#include <string>
#include <string_view>

namespace uiw::detectors {

struct ImageLimits {
  int max_side = 8192;  // px; phones are ≤ 3200 on the long side
  long max_pixels = 40L * 1000 * 1000;
};

// Decodes PNG or JPEG bytes to 8-bit BGR. Throws uiw::Error(kParse) naming `source` for empty,
// unknown, corrupt or truncated data, and for images over `limits`.
cv::Mat decode_image(std::string_view bytes, const std::string& source,
                     const ImageLimits& limits = {});
// Reads and decodes a file; kNotFound when it cannot be read.
cv::Mat read_image_file(const std::string& path, const ImageLimits& limits = {});

}  // namespace uiw::detectors
