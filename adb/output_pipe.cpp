#include "adb/output_pipe.h"

#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"

namespace uiw::adb {

OutputPipe::OutputPipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorKind::kIo, "pipe2 failed");
  read_ = fds[0];
  write_ = ::fdopen(fds[1], "w");
  if (write_ == nullptr) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(ErrorKind::kIo, "fdopen failed");
  }
}

OutputPipe::~OutputPipe() {
  close_write();
  if (read_ >= 0) ::close(read_);
}

void OutputPipe::close_write() {
  if (write_ != nullptr) ::fclose(write_);
  write_ = nullptr;
}

}  // namespace uiw::adb
