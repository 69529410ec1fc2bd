#include "adb/screencap_decoder.h"

#include <fmt/format.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "adb/little_endian.h"
#include "common/error.h"

namespace uiw::adb {

namespace {

// android::PixelFormat values screencap writes.
int bytes_per_pixel(uint32_t format) {
  switch (format) {
    case 1:  // RGBA_8888
    case 2:  // RGBX_8888
    case 5:  // BGRA_8888
      return 4;
    case 3:  // RGB_888
      return 3;
    case 4:  // RGB_565
      return 2;
    default:
      return 0;
  }
}

}  // namespace

cv::Mat decode_raw_screencap(std::string_view bytes) {
  if (bytes.size() < 12) {
    throw Error(
        ErrorKind::kParse,
        fmt::format("raw screencap too short ({} bytes): the device sent no image", bytes.size()));
  }
  const uint32_t width = load_le32(bytes.data());
  const uint32_t height = load_le32(bytes.data() + 4);
  const uint32_t format = load_le32(bytes.data() + 8);
  const int bpp = bytes_per_pixel(format);
  if (bpp == 0 || width == 0 || height == 0 || width > 16384 || height > 16384) {
    throw Error(ErrorKind::kParse, fmt::format("raw screencap: unsupported header {}x{} format {}",
                                               width, height, format));
  }
  const size_t pixels = static_cast<size_t>(width) * height * static_cast<size_t>(bpp);
  size_t header = 0;
  if (bytes.size() == 12 + pixels) {
    header = 12;
  } else if (bytes.size() == 16 + pixels) {
    header = 16;  // Android 9+: a colour-space word follows the format
  } else {
    throw Error(ErrorKind::kParse,
                fmt::format("raw screencap: {} bytes do not match a {}x{} image of format {} "
                            "(expected {} or {}): the transfer was cut",
                            bytes.size(), width, height, format, 12 + pixels, 16 + pixels));
  }
  const int w = static_cast<int>(width);
  const int h = static_cast<int>(height);
  // Wraps the received bytes (no copy), then converts into a new BGR image.
  void* data = const_cast<char*>(bytes.data() + header);
  cv::Mat out;
  switch (format) {
    case 1:
    case 2:
      cv::cvtColor(cv::Mat(h, w, CV_8UC4, data), out, cv::COLOR_RGBA2BGR);
      break;
    case 5:
      cv::cvtColor(cv::Mat(h, w, CV_8UC4, data), out, cv::COLOR_BGRA2BGR);
      break;
    case 3:
      cv::cvtColor(cv::Mat(h, w, CV_8UC3, data), out, cv::COLOR_RGB2BGR);
      break;
    case 4:
      cv::cvtColor(cv::Mat(h, w, CV_8UC2, data), out, cv::COLOR_BGR5652BGR);
      break;
    default:
      break;
  }
  return out;
}

cv::Mat decode_png_screencap(std::string_view bytes) {
  if (bytes.empty()) {
    throw Error(ErrorKind::kParse,
                "screenshot is not a valid PNG: the device sent no bytes (the link dropped, or "
                "screencap failed)");
  }
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat image = cv::imdecode(buffer, cv::IMREAD_COLOR);
  if (image.empty()) {
    // Quote the start only when it is text (an error message instead of an image); binary
    // bytes would garble the terminal.
    std::string start;
    for (const char c : bytes.substr(0, 40)) {
      if (c != '\n' && (c < ' ' || c > '~')) {
        start.clear();
        break;
      }
      start += c;
    }
    throw Error(ErrorKind::kParse,
                fmt::format("screenshot is not a valid PNG: {} bytes{}", bytes.size(),
                            bytes.starts_with("\x89PNG\r\n\x1a\n")
                                ? " with a PNG signature but damaged image data"
                            : start.empty() ? " without a PNG signature"
                                            : " starting with '" + start + "'"));
  }
  return image;
}

}  // namespace uiw::adb
