#pragma once
// The environment a child process gets: ours, with some variables replaced or removed. Handed
// to execve directly as a Boost.Process handler, because Boost.Process 1.74's own environment
// lookup (basic_environment_impl::find) reads past the end of shorter variables — a heap
// overflow AddressSanitizer reports.
//
// Its sibling trap: the global `bp::limit_handles` keeps per-spawn state in a mutable member, so
// threads spawning at once corrupt it (a double free under ASan). Pass a fresh
// `bp::detail::limit_handles_()` to every spawn instead.
#include <boost/process.hpp>  // the whole of it: 1.74's extend.hpp alone does not compile
#include <boost/process/extend.hpp>
#include <string>
#include <vector>

namespace uiw::adb {

class ChildEnvironment : public boost::process::extend::handler {
 public:
  // Each change is "NAME=VALUE" (set or replace) or "NAME" (removed from ours).
  explicit ChildEnvironment(const std::vector<std::string>& changes);

  template <class Executor>
  void on_setup(Executor& exec) const {
    exec.env = const_cast<char**>(pointers_.data());
  }

 private:
  std::vector<std::string> vars_;
  std::vector<char*> pointers_;
};

}  // namespace uiw::adb
