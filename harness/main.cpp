#include "detectors/openmp_limit.h"
#include "harness/cli.h"

int main(int argc, char** argv) {
  uiw::detectors::restart_with_single_threaded_openmp(argv);
  return uiw::harness::run_cli(argc, argv);
}
