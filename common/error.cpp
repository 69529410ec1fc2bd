#include "common/error.h"

namespace uiw {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kConfig:
      return "config";
    case ErrorKind::kParse:
      return "parse";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kNotFound:
      return "not-found";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kDeviceOffline:
      return "device-offline";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kProtocol:
      return "protocol";
    case ErrorKind::kCommandFailed:
      return "command-failed";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace uiw
