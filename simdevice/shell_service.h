#pragma once
// The shell services on an ADB stream: `shell,v2,…:CMD` (framed stdout/stderr/exit code, as
// adb uses when the device advertises shell_v2), legacy `shell:CMD` and `exec:CMD` (raw bytes,
// stderr mixed in, no exit code). An empty command reads command lines from stdin.
#include <string>

#include "simdevice/adb_stream.h"
#include "simdevice/shell_io.h"

namespace uiw::sim {

enum class ShellProtocol { kV2, kRaw };

// Runs until the command ends or the client goes; the caller closes the stream.
void run_shell_service(AdbStream& stream, CommandRunner& runner, ShellProtocol protocol,
                       const std::string& command);

}  // namespace uiw::sim
