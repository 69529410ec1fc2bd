#pragma once
// uiw::Error: the one exception type of uiwitness. Its kind tells a caller (and the CLI's
// exit code) what went wrong; its message tells a person what to do about it.
#include <stdexcept>
#include <string>
#include <string_view>

namespace uiw {

enum class ErrorKind {
  kUsage,          // bad command line
  kConfig,         // bad scenario / fixture / profile file
  kParse,          // malformed data from a device or a file
  kIo,             // local file system
  kNotFound,       // a file, device, package or node that does not exist
  kTimeout,        // a deadline passed
  kDeviceOffline,  // the device dropped or is not reachable
  kUnauthorized,   // the device did not accept this host
  kProtocol,       // a peer broke the wire protocol
  kCommandFailed,  // a device command exited non-zero
  kInternal,
};

std::string_view to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace uiw
