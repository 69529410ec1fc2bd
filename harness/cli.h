#pragma once
// The `uiwitness` command line. Returns the process exit code (docs/ARCHITECTURE.md): 0 clean, 1
// findings or failed expectations, 2 usage/config error, 3 infrastructure failure.
namespace uiw::harness {

int run_cli(int argc, char** argv);

}  // namespace uiw::harness
