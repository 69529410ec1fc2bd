#pragma once
// OutputPipe: a pipe for a child's stdout/stderr whose ends are O_CLOEXEC from birth, so a child
// started by another thread cannot inherit our write end (EOF would then never come). The write
// end is a FILE* because Boost.Process 1.74's limit_handles keeps FILE* redirections.
#include <cstdio>

namespace uiw::adb {

class OutputPipe {
 public:
  OutputPipe();
  ~OutputPipe();
  OutputPipe(const OutputPipe&) = delete;
  OutputPipe& operator=(const OutputPipe&) = delete;

  FILE* write_end() const { return write_; }
  int read_end() const { return read_; }
  // Call once the child runs: then only the child holds the write end.
  void close_write();

 private:
  int read_ = -1;
  FILE* write_ = nullptr;
};

}  // namespace uiw::adb
