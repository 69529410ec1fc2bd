#include "adb/sim_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "adb/output_pipe.h"
#include "adb/tcp_socket.h"
#include "common/error.h"
#include "common/loopback_ports.h"

namespace bp = boost::process;

namespace uiw::adb {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

struct SimProcess::Impl {
  bp::child child;
  std::string log_path;
};

SimProcess::SimProcess(std::unique_ptr<Impl> impl, int port)
    : impl_(std::move(impl)), port_(port) {}

SimProcess::~SimProcess() {
  stop(std::chrono::milliseconds(2000));
}

int SimProcess::pick_port() {
  static std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> dist(6000, 31999);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const int port = dist(rng);
    if (loopback_port_is_free(port)) return port;
  }
  throw Error(ErrorKind::kIo, "no free TCP port between 6000 and 32000 on 127.0.0.1");
}

std::unique_ptr<SimProcess> SimProcess::start(const SimOptions& options, Deadline deadline) {
  const int port = options.port != 0 ? options.port : pick_port();
  std::vector<std::string> args = {"--port", std::to_string(port)};
  for (const std::string& app : options.apps) {
    args.push_back("--app");
    args.push_back(app);
  }
  if (options.console_port != 0) {
    args.push_back("--console-port");
    args.push_back(std::to_string(options.console_port));
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

  auto impl = std::make_unique<Impl>();
  impl->log_path = (std::filesystem::temp_directory_path() /
                    ("uiw-sim-" + std::to_string(::getpid()) + "-" + std::to_string(port) + ".log"))
                       .string();
  OutputPipe out;
  std::error_code ec;
  impl->child = bp::child(options.binary, bp::args(args), (bp::std_in < bp::null),
                          (bp::std_out > out.write_end()), (bp::std_err > impl->log_path),
                          bp::detail::limit_handles_(), ec);
  if (ec) {
    throw Error(ErrorKind::kNotFound, "cannot run " + options.binary + ": " + ec.message());
  }
  out.close_write();
  std::string said;
  const std::string expected = "listening on 127.0.0.1:" + std::to_string(port);
  char buffer[4096];
  while (said.find('\n') == std::string::npos && !deadline.expired()) {
    pollfd p{out.read_end(), POLLIN, 0};
    if (::poll(&p, 1, deadline.poll_ms()) <= 0) continue;
    const ssize_t n = ::read(out.read_end(), buffer, sizeof buffer);
    if (n <= 0) break;
    said.append(buffer, static_cast<size_t>(n));
  }
  if (said.find(expected) == std::string::npos) {
    impl->child.terminate(ec);
    const int code = impl->child.exit_code();
    const std::string log = read_file(impl->log_path);
    std::filesystem::remove(impl->log_path, ec);
    throw Error(code == 3 ? ErrorKind::kIo : ErrorKind::kCommandFailed,
                "uiwitness-sim on port " + std::to_string(port) +
                    " did not start: " + (log.empty() ? said : log));
  }
  return std::unique_ptr<SimProcess>(new SimProcess(std::move(impl), port));
}

int SimProcess::pid() const {
  return impl_ ? static_cast<int>(impl_->child.id()) : -1;
}

bool SimProcess::running() {
  std::error_code ec;
  return impl_ && impl_->child.valid() && impl_->child.running(ec);
}

void SimProcess::kill() {
  if (!impl_) return;
  std::error_code ec;
  if (impl_->child.running(ec)) impl_->child.terminate(ec);  // SIGKILL + reap
}

void SimProcess::stop(std::chrono::milliseconds grace) {
  if (!impl_) return;
  std::error_code ec;
  if (impl_->child.valid() && impl_->child.running(ec)) {
    ::kill(impl_->child.id(), SIGTERM);
    const auto until = std::chrono::steady_clock::now() + grace;
    while (impl_->child.running(ec) && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (impl_->child.running(ec)) impl_->child.terminate(ec);
  }
  if (impl_->child.valid()) impl_->child.wait(ec);
  std::filesystem::remove(impl_->log_path, ec);
  impl_.reset();
}

}  // namespace uiw::adb
