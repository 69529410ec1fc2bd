#pragma once
// Decoding `screencap` output into a BGR cv::Mat (OpenCV's order, what the detectors use).
// Raw: u32 width, height, format [, u32 colour space on newer Android], then pixels; the two
// header layouts are told apart by the total length.
#include <opencv2/core.hpp>
#include <string_view>

namespace uiw::adb {

// Throws uiw::Error(kParse) when the bytes are not a raw screencap this code understands
// (unknown pixel format, length matching neither layout).
cv::Mat decode_raw_screencap(std::string_view bytes);
// Throws uiw::Error(kParse) when the bytes are not a decodable image.
cv::Mat decode_png_screencap(std::string_view bytes);

}  // namespace uiw::adb
