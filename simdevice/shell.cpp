#include "simdevice/shell.h"

#include <cctype>
#include <exception>
#include <optional>
#include <stdexcept>

namespace uiw::sim {

namespace {

constexpr const char* kShellName = "/system/bin/sh";

// A syntax error or an unsupported construct; reported like mksh does, exit 2.
struct SyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Target { kOut, kErr, kNull };

struct Redirect {
  int fd;         // 0, 1 or 2
  Target target;  // for fd 0 only kNull (< /dev/null) is accepted
  std::optional<int> dup_of;
};

enum class Connector { kSeq, kAnd, kOr };

struct Command {
  Connector connector = Connector::kSeq;  // how it joins the previous command
  std::vector<std::string> argv;
  std::vector<Redirect> redirects;
};

bool is_assignment(const std::string& word) {
  const size_t eq = word.find('=');
  if (eq == 0 || eq == std::string::npos) return false;
  if (!std::isalpha(static_cast<unsigned char>(word[0])) && word[0] != '_') return false;
  for (size_t i = 1; i < eq; ++i) {
    const unsigned char c = static_cast<unsigned char>(word[i]);
    if (!std::isalnum(c) && c != '_') return false;
  }
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view line) : s_(line) {}

  std::vector<Command> parse() {
    commands_.emplace_back();
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r') {
        end_word();
        ++i_;
      } else if (c == '\n' || c == ';') {
        end_command(Connector::kSeq);
        ++i_;
      } else if (c == '&') {
        if (peek(1) == '&') {
          end_command(Connector::kAnd);
          i_ += 2;
        } else if (peek(1) == '>') {
          throw SyntaxError("'&>' redirection is not supported");
        } else {
          // Background jobs have nothing to run in parallel with here: run in sequence.
          end_command(Connector::kSeq);
          ++i_;
        }
      } else if (c == '|') {
        if (peek(1) == '|') {
          end_command(Connector::kOr);
          i_ += 2;
        } else {
          throw SyntaxError("pipes are not supported by uiwitness-sim");
        }
      } else if (c == '>' || c == '<') {
        redirect();
      } else if (c == '#' && !in_word_) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '\'') {
        in_word_ = true;
        const size_t close = s_.find('\'', i_ + 1);
        if (close == std::string_view::npos) throw SyntaxError("unterminated quoted string");
        word_.append(s_.substr(i_ + 1, close - i_ - 1));
        i_ = close + 1;
      } else if (c == '"') {
        in_word_ = true;
        double_quoted();
      } else if (c == '\\') {
        if (peek(1) == '\n') {
          i_ += 2;  // line continuation
          continue;
        }
        in_word_ = true;
        if (i_ + 1 < s_.size()) word_.push_back(s_[i_ + 1]);
        i_ += 2;
      } else {
        in_word_ = true;
        word_.push_back(c);
        ++i_;
      }
    }
    end_command(Connector::kSeq);
    commands_.pop_back();  // the empty command opened by the last end_command
    return std::move(commands_);
  }

 private:
  char peek(size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  void double_quoted() {
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
        const char next = s_[i_ + 1];
        if (next == '"' || next == '\\' || next == '$' || next == '`') {
          word_.push_back(next);
          i_ += 2;
          continue;
        }
        if (next == '\n') {
          i_ += 2;
          continue;
        }
      }
      word_.push_back(s_[i_++]);
    }
    if (i_ >= s_.size()) throw SyntaxError("unterminated quoted string");
    ++i_;
  }

  void end_word() {
    if (!in_word_) return;
    commands_.back().argv.push_back(std::move(word_));
    word_.clear();
    in_word_ = false;
  }

  void end_command(Connector next) {
    end_word();
    Command& current = commands_.back();
    if (current.argv.empty() && current.redirects.empty()) {
      if (next != Connector::kSeq) throw SyntaxError("syntax error: unexpected operator");
      current.connector = Connector::kSeq;
      return;  // `;;`, leading `;`, blank lines: nothing to run
    }
    commands_.emplace_back();
    commands_.back().connector = next;
  }

  // [N]> [N]>> [N]>&M [N]< ; only /dev/null and fd duplication are supported.
  void redirect() {
    int fd = s_[i_] == '<' ? 0 : 1;
    // A word made only of digits right before the operator names the fd ("2>&1").
    if (in_word_ && !word_.empty() && word_.find_first_not_of("0123456789") == std::string::npos &&
        i_ > 0 && std::isdigit(static_cast<unsigned char>(s_[i_ - 1]))) {
      fd = std::stoi(word_);
      word_.clear();
      in_word_ = false;
    } else {
      end_word();
    }
    const bool input = s_[i_] == '<';
    ++i_;
    if (!input && peek(0) == '>') ++i_;  // append: same thing for /dev/null
    if (peek(0) == '&') {
      ++i_;
      size_t start = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
      if (start == i_) throw SyntaxError("bad file descriptor in redirection");
      const int from = std::stoi(std::string(s_.substr(start, i_ - start)));
      if (fd < 1 || fd > 2 || from < 1 || from > 2) {
        throw SyntaxError("only 1 and 2 can be redirected with >&");
      }
      commands_.back().redirects.push_back(Redirect{fd, Target::kOut, from});
      return;
    }
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    size_t start = i_;
    while (i_ < s_.size() &&
           std::string_view(" \t\r\n;&|<>").find(s_[i_]) == std::string_view::npos)
      ++i_;
    const std::string_view target = s_.substr(start, i_ - start);
    if (target.empty()) throw SyntaxError("syntax error: redirection without a file");
    if (target != "/dev/null") {
      throw SyntaxError("redirection to '" + std::string(target) +
                        "' is not supported by uiwitness-sim (only /dev/null and >&N)");
    }
    if (fd > 2) throw SyntaxError("bad file descriptor in redirection");
    commands_.back().redirects.push_back(Redirect{fd, Target::kNull, std::nullopt});
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string word_;
  bool in_word_ = false;
  std::vector<Command> commands_;
};

// ShellIo with stdout/stderr redirected to each other or to /dev/null.
class RedirectedIo : public ShellIo {
 public:
  RedirectedIo(ShellIo& inner, Target out, Target err, bool stdin_null)
      : inner_(inner), out_(out), err_(err), stdin_null_(stdin_null) {}
  bool write_out(std::string_view bytes) override { return write(out_, bytes); }
  bool write_err(std::string_view bytes) override { return write(err_, bytes); }
  bool read_in(std::string& chunk) override { return !stdin_null_ && inner_.read_in(chunk); }
  bool cancelled() const override { return inner_.cancelled(); }
  bool sleep_for(std::chrono::milliseconds d) override { return inner_.sleep_for(d); }

 private:
  bool write(Target t, std::string_view bytes) {
    switch (t) {
      case Target::kOut:
        return inner_.write_out(bytes);
      case Target::kErr:
        return inner_.write_err(bytes);
      case Target::kNull:
        return !inner_.cancelled();
    }
    return false;
  }
  ShellIo& inner_;
  Target out_, err_;
  bool stdin_null_;
};

}  // namespace

void Shell::add(const std::string& name, ShellCommand command) {
  commands_[name] = std::move(command);
}

ShellCommand Shell::find(const std::string& name) const {
  const auto it = commands_.find(name);
  return it == commands_.end() ? ShellCommand{} : it->second;
}

int Shell::run(std::string_view command_line, ShellIo& io) {
  std::vector<Command> commands;
  try {
    commands = Parser(command_line).parse();
  } catch (const SyntaxError& e) {
    io.write_err(std::string(kShellName) + ": " + e.what() + "\n");
    return 2;
  }
  int status = 0;
  for (Command& command : commands) {
    if (io.cancelled()) break;
    if (command.connector == Connector::kAnd && status != 0) continue;
    if (command.connector == Connector::kOr && status == 0) continue;

    Target fds[3] = {Target::kOut, Target::kOut, Target::kErr};
    bool stdin_null = false;
    for (const Redirect& r : command.redirects) {
      if (r.fd == 0) {
        stdin_null = true;
      } else if (r.dup_of) {
        fds[r.fd] = fds[*r.dup_of];
      } else {
        fds[r.fd] = r.target;
      }
    }
    RedirectedIo cmd_io(io, fds[1], fds[2], stdin_null);

    std::vector<std::string>& argv = command.argv;
    size_t first = 0;
    while (first < argv.size() && is_assignment(argv[first])) ++first;  // VAR=x cmd: env ignored
    argv.erase(argv.begin(), argv.begin() + static_cast<std::ptrdiff_t>(first));
    bool last = false;
    if (!argv.empty() && argv[0] == "exec") {
      argv.erase(argv.begin());
      last = !argv.empty();  // exec replaces the shell: nothing after it runs
    }
    if (argv.empty()) {
      status = 0;
    } else if (argv[0] == "exit") {
      if (argv.size() > 1) {
        try {
          status = std::stoi(argv[1]) & 0xff;
        } catch (const std::exception&) {
          cmd_io.write_err(std::string(kShellName) + ": exit: " + argv[1] + ": bad number\n");
          status = 2;
        }
      }
      break;
    } else if (argv[0] == "export" || argv[0] == "readonly" || argv[0] == "unset" ||
               argv[0] == "cd" || argv[0] == ":") {
      status = 0;  // no variables or working directory to keep: accepted, ignored
    } else {
      auto it = commands_.find(argv[0]);
      if (it == commands_.end() && argv[0].find('/') != std::string::npos) {
        it = commands_.find(argv[0].substr(argv[0].rfind('/') + 1));  // /system/bin/ls → ls
      }
      if (it == commands_.end()) {
        cmd_io.write_err(std::string(kShellName) + ": " + argv[0] +
                         ": inaccessible or not found\n");
        status = 127;
      } else {
        try {
          status = it->second(argv, cmd_io) & 0xff;
        } catch (const std::exception& e) {
          // A command's failure is the command's exit status, never the device's crash.
          cmd_io.write_err(argv[0] + ": " + e.what() + "\n");
          status = 1;
        }
      }
    }
    if (last) break;
  }
  return status;
}

}  // namespace uiw::sim
