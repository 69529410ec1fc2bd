#pragma once
// RawScreencapReader: receives a raw `screencap` straight off the socket into one buffer and
// converts rows to BGR while later rows are still in flight, so the colour conversion costs
// (almost) nothing on top of the transfer. The header layout (12 or 16 bytes) is only known
// from the total length at the end: rows are converted assuming the modern 16-byte layout and
// converted again if the stream turns out to be the 12-byte one.
#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "adb/deadline.h"
#include "adb/tcp_socket.h"

namespace uiw::adb {

class RawScreencapReader {
 public:
  // Reads the whole stream from `socket` until EOF; throws kParse on a cut or unknown stream,
  // kTimeout at the deadline. `what` names the command for messages.
  static cv::Mat read(TcpSocket& socket, Deadline deadline, const std::string& what);
};

}  // namespace uiw::adb
