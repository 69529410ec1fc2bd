#pragma once
// Reads a scenario YAML file (the language of scenarios/README.md) into a Scenario: variables
// substituted, `run_flow` files included, selectors and regexes checked, every step carrying its
// file and line. The loader rejects anything it does not understand, so a typo fails before a
// device is touched instead of halfway through a run.
#include <map>
#include <string>
#include <string_view>

#include "harness/scenario.h"

namespace uiw::harness {

// `overrides`: `--var K=V` from the command line; they win over the file's `vars`, which win over
// environment variables. Errors throw uiw::Error(kConfig) as
// "FILE:LINE:COL: step N (kind): what is wrong"; a scenario file that cannot be read throws
// kNotFound / kIo.
Scenario load_scenario(const std::string& path,
                       const std::map<std::string, std::string>& overrides = {});

// The same from text already in memory (tests, stdin). `file_name` is used in errors and as the
// base for relative `run_flow` and `image` paths (made absolute against the working directory).
Scenario parse_scenario(std::string_view yaml_text, const std::string& file_name,
                        const std::map<std::string, std::string>& overrides = {});

}  // namespace uiw::harness
