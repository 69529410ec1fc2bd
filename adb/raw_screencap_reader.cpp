#include "adb/raw_screencap_reader.h"

#include <fmt/format.h>

#include <opencv2/imgproc.hpp>
#include <string_view>

#include "adb/little_endian.h"
#include "adb/screencap_decoder.h"
#include "common/error.h"

namespace uiw::adb {

namespace {

// Reads until EOF into `buffer` (capacity `size`); returns the byte count. More bytes than fit
// is a stream we do not understand.
size_t read_rest(TcpSocket& socket, char* buffer, size_t size, size_t have, Deadline deadline,
                 const std::string& what, const std::function<void(size_t)>& progress) {
  for (;;) {
    if (have == size) {
      // Full: the next read must be EOF.
      char extra;
      size_t got = 0;
      const auto status = socket.read_into(&extra, 1, &got, deadline);
      if (status == TcpSocket::ReadStatus::kEof) return have;
      if (status == TcpSocket::ReadStatus::kTimeout) break;
      throw Error(ErrorKind::kParse, what + ": more bytes than the raw header announces");
    }
    size_t got = 0;
    const auto status = socket.read_into(buffer + have, size - have, &got, deadline);
    if (status == TcpSocket::ReadStatus::kEof) return have;
    if (status == TcpSocket::ReadStatus::kTimeout) break;
    have += got;
    progress(have);
  }
  throw Error(ErrorKind::kTimeout, fmt::format("{} did not finish within {} ms ({} bytes received)",
                                               what, deadline.budget().count(), have));
}

}  // namespace

cv::Mat RawScreencapReader::read(TcpSocket& socket, Deadline deadline, const std::string& what) {
  char header[12];
  size_t have = 0;
  while (have < sizeof header) {
    size_t got = 0;
    const auto status = socket.read_into(header + have, sizeof header - have, &got, deadline);
    if (status == TcpSocket::ReadStatus::kEof) {
      throw Error(ErrorKind::kParse,
                  fmt::format("{}: the stream ended after {} bytes, before the raw header "
                              "(device gone, or screencap failed)",
                              what, have));
    }
    if (status == TcpSocket::ReadStatus::kTimeout) {
      throw Error(ErrorKind::kTimeout,
                  fmt::format("{} sent no image within {} ms", what, deadline.budget().count()));
    }
    have += got;
  }
  const uint32_t width = load_le32(header);
  const uint32_t height = load_le32(header + 4);
  const uint32_t format = load_le32(header + 8);
  const bool four_bytes = format == 1 || format == 2 || format == 5;
  const size_t bpp = four_bytes ? 4 : format == 3 ? 3 : format == 4 ? 2 : 0;
  if (bpp == 0 || width == 0 || height == 0 || width > 16384 || height > 16384) {
    throw Error(ErrorKind::kParse, fmt::format("{}: unsupported raw header {}x{} format {}", what,
                                               width, height, format));
  }
  const size_t row_bytes = width * bpp;
  const size_t pixels = row_bytes * height;
  // Header + optional colour-space word + pixels, in one allocation, never zero-filled.
  const size_t capacity = 16 + pixels;
  std::unique_ptr<char[]> buffer(new char[capacity]);
  std::copy(header, header + 12, buffer.get());

  const int w = static_cast<int>(width);
  const int h = static_cast<int>(height);
  cv::Mat bgr(h, w, CV_8UC3);
  const int code = format == 5 ? cv::COLOR_BGRA2BGR : cv::COLOR_RGBA2BGR;
  int converted = 0;  // rows converted, assuming the 16-byte header
  auto convert_ready = [&](size_t bytes) {
    if (!four_bytes || bytes < 16) return;
    const int ready = static_cast<int>(std::min<size_t>((bytes - 16) / row_bytes, height));
    // Batches of rows: one cvtColor call per ~64 KiB would be too many small calls.
    if (ready <= converted || (ready - converted < 32 && ready != h)) return;
    const cv::Mat src(ready - converted, w, CV_8UC4, buffer.get() + 16 + converted * row_bytes);
    cv::Mat dst = bgr.rowRange(converted, ready);
    cv::cvtColor(src, dst, code);
    converted = ready;
  };
  const size_t total = read_rest(socket, buffer.get(), capacity, 12, deadline, what, convert_ready);
  if (total == 16 + pixels && four_bytes) {
    convert_ready(total);
    return bgr;
  }
  if (total == 12 + pixels || total == 16 + pixels) {
    return decode_raw_screencap(std::string_view(buffer.get(), total));
  }
  throw Error(ErrorKind::kParse,
              fmt::format("{}: {} bytes do not match a {}x{} image of format {} (expected {} or "
                          "{}): the transfer was cut",
                          what, total, width, height, format, 12 + pixels, 16 + pixels));
}

}  // namespace uiw::adb
