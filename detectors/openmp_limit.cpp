#include "detectors/openmp_limit.h"

#include <unistd.h>

#include <cstdlib>

namespace uiw::detectors {

void restart_with_single_threaded_openmp(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  setenv("OMP_THREAD_LIMIT", "1", 1);
  execv("/proc/self/exe", argv);
}

}  // namespace uiw::detectors
