#include "harness/cli.h"

int main(int argc, char** argv) {
  return uiw::harness::run_cli(argc, argv);
}
