#pragma once
// The `sync:` service (adb push/pull/ls/stat) over the simulated file system. Requests are
// `ID u32len data` and do not align with WRTEs, so the stream is read as bytes.
#include "simdevice/adb_stream.h"
#include "simdevice/virtual_fs.h"

namespace uiw::sim {

// Runs until QUIT, a protocol error, or the client goes; the caller closes the stream.
void run_sync_service(AdbStream& stream, VirtualFs& fs);

}  // namespace uiw::sim
