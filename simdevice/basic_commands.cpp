#include "simdevice/basic_commands.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <string>
#include <vector>

namespace uiw::sim {

namespace {

using Args = std::vector<std::string>;

// Splits "-rf" style flags from operands; unknown flags are reported by the caller.
struct Parsed {
  std::string flags;
  std::vector<std::string> operands;
};

Parsed parse_flags(const Args& argv) {
  Parsed p;
  bool options_done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!options_done && a == "--") {
      options_done = true;
    } else if (!options_done && a.size() > 1 && a[0] == '-') {
      p.flags += a.substr(1);
    } else {
      p.operands.push_back(a);
    }
  }
  return p;
}

int echo(const Args& argv, ShellIo& io) {
  size_t i = 1;
  bool newline = true;
  while (i < argv.size() && argv[i] == "-n") {
    newline = false;
    ++i;
  }
  std::string out;
  for (size_t k = i; k < argv.size(); ++k) {
    if (k > i) out.push_back(' ');
    out += argv[k];
  }
  if (newline) out.push_back('\n');
  io.write_out(out);
  return 0;
}

int sleep_cmd(const Args& argv, ShellIo& io) {
  if (argv.size() < 2) {
    io.write_err("sleep: Need 1 argument\n");
    return 1;
  }
  double seconds = 0;
  try {
    size_t used = 0;
    seconds = std::stod(argv[1], &used);
    if (used != argv[1].size() || !std::isfinite(seconds) || seconds < 0) throw 0;
  } catch (...) {
    io.write_err("sleep: invalid number '" + argv[1] + "'\n");
    return 1;
  }
  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
  return io.sleep_for(duration) ? 0 : 130;
}

int cat(VirtualFs& fs, const Args& argv, ShellIo& io) {
  if (argv.size() < 2) {
    std::string chunk;
    while (io.read_in(chunk)) {
      if (!io.write_out(chunk)) return 1;
    }
    return 0;
  }
  int status = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    const auto st = fs.stat(argv[i]);
    if (!st) {
      io.write_err("cat: " + argv[i] + ": No such file or directory\n");
      status = 1;
    } else if (st->is_dir()) {
      io.write_err("cat: " + argv[i] + ": Is a directory\n");
      status = 1;
    } else if (const auto data = fs.read(argv[i])) {
      if (!io.write_out(*data)) return 1;
    }
  }
  return status;
}

int rm(VirtualFs& fs, const Args& argv, ShellIo& io) {
  const Parsed p = parse_flags(argv);
  const bool force = p.flags.find('f') != std::string::npos;
  const bool recursive = p.flags.find_first_of("rR") != std::string::npos;
  if (p.operands.empty() && !force) {
    io.write_err("rm: Needs 1 argument\n");
    return 1;
  }
  int status = 0;
  for (const std::string& path : p.operands) {
    const auto st = fs.stat(path);
    if (!st) {
      if (!force) {
        io.write_err("rm: " + path + ": No such file or directory\n");
        status = 1;
      }
    } else if (st->is_dir() && !recursive) {
      io.write_err("rm: " + path + ": Is a directory\n");
      status = 1;
    } else if (!fs.remove(path, recursive)) {
      io.write_err("rm: " + path + ": Permission denied\n");
      status = 1;
    }
  }
  return status;
}

std::string mode_string(uint32_t mode) {
  std::string s = (mode & 0170000) == 0040000 ? "d" : "-";
  const char* rwx = "rwxrwxrwx";
  for (int bit = 8; bit >= 0; --bit) s.push_back(mode & (1u << bit) ? rwx[8 - bit] : '-');
  return s;
}

std::string long_line(const DirEntry& e) {
  const std::time_t t = static_cast<std::time_t>(e.stat.mtime);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
  return fmt::format("{} {} shell sdcard_rw {:>8} {} {}\n", mode_string(e.stat.mode),
                     e.stat.is_dir() ? 2 : 1, e.stat.size, when, e.name);
}

int ls(VirtualFs& fs, const Args& argv, ShellIo& io) {
  Parsed p = parse_flags(argv);
  const bool long_format = p.flags.find('l') != std::string::npos;
  const bool all = p.flags.find_first_of("aA") != std::string::npos;
  const bool directory_itself = p.flags.find('d') != std::string::npos;
  if (p.operands.empty()) p.operands.push_back("/");
  int status = 0;
  std::string out;
  for (size_t i = 0; i < p.operands.size(); ++i) {
    const std::string& path = p.operands[i];
    const auto st = fs.stat(path);
    if (!st) {
      io.write_err("ls: " + path + ": No such file or directory\n");
      status = 1;
      continue;
    }
    if (!st->is_dir() || directory_itself) {
      out += long_format ? long_line(DirEntry{path, *st}) : path + "\n";
      continue;
    }
    if (p.operands.size() > 1) out += (i > 0 ? "\n" : "") + path + ":\n";
    const auto entries = fs.list(path);
    if (long_format) {
      uint64_t blocks = 0;
      for (const DirEntry& e : *entries) blocks += (e.stat.size + 4095) / 4096 * 4;
      out += fmt::format("total {}\n", blocks);
    }
    if (all) out += long_format ? long_line(DirEntry{".", *st}) : ".\n";
    for (const DirEntry& e : *entries) {
      out += long_format ? long_line(e) : e.name + "\n";
    }
  }
  io.write_out(out);
  return status;
}

int mkdir_cmd(VirtualFs& fs, const Args& argv, ShellIo& io) {
  const Parsed p = parse_flags(argv);
  const bool parents = p.flags.find('p') != std::string::npos;
  if (p.operands.empty()) {
    io.write_err("mkdir: Needs 1 argument\n");
    return 1;
  }
  int status = 0;
  for (const std::string& path : p.operands) {
    const auto st = fs.stat(path);
    if (st) {
      if (!parents || !st->is_dir()) {
        io.write_err("mkdir: '" + path + "': File exists\n");
        status = 1;
      }
      continue;
    }
    const std::string parent = VirtualFs::normalize(path + "/..");
    const auto parent_st = fs.stat(parent);
    if (!parents && (!parent_st || !parent_st->is_dir())) {
      io.write_err("mkdir: '" + path + "': No such file or directory\n");
      status = 1;
      continue;
    }
    if (!fs.mkdirs(path)) {
      io.write_err("mkdir: '" + path + "': Not a directory\n");
      status = 1;
    }
  }
  return status;
}

int getprop(const DeviceProfile& profile, const Args& argv, ShellIo& io) {
  const auto props = profile.properties();
  if (argv.size() >= 2) {
    const auto it = props.find(argv[1]);
    const std::string value = it != props.end() ? it->second : argv.size() >= 3 ? argv[2] : "";
    io.write_out(value + "\n");
    return 0;
  }
  std::string out;
  for (const auto& [name, value] : props) out += "[" + name + "]: [" + value + "]\n";
  io.write_out(out);
  return 0;
}

int wm(const DeviceProfile& profile, const Args& argv, ShellIo& io) {
  const std::string sub = argv.size() >= 2 ? argv[1] : "";
  if (sub == "size" && argv.size() == 2) {
    io.write_out(fmt::format("Physical size: {}x{}\n", profile.width, profile.height));
    return 0;
  }
  if (sub == "density" && argv.size() == 2) {
    io.write_out(fmt::format("Physical density: {}\n", profile.density));
    return 0;
  }
  if (sub == "size" || sub == "density") {
    io.write_err("Error: uiwitness-sim does not support overriding the " + sub + "\n");
    return 1;
  }
  io.write_err("Error: unknown command '" + sub + "'\nusage: wm [size|density]\n");
  return 1;
}

}  // namespace

void register_basic_commands(Shell& shell, VirtualFs& fs, const DeviceProfile& profile) {
  shell.add("echo", echo);
  shell.add("sleep", sleep_cmd);
  shell.add("true", [](const Args&, ShellIo&) { return 0; });
  shell.add("false", [](const Args&, ShellIo&) { return 1; });
  shell.add("cat", [&fs](const Args& a, ShellIo& io) { return cat(fs, a, io); });
  shell.add("rm", [&fs](const Args& a, ShellIo& io) { return rm(fs, a, io); });
  shell.add("ls", [&fs](const Args& a, ShellIo& io) { return ls(fs, a, io); });
  shell.add("mkdir", [&fs](const Args& a, ShellIo& io) { return mkdir_cmd(fs, a, io); });
  shell.add("getprop", [&profile](const Args& a, ShellIo& io) { return getprop(profile, a, io); });
  shell.add("wm", [&profile](const Args& a, ShellIo& io) { return wm(profile, a, io); });
}

}  // namespace uiw::sim
