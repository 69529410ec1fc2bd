#pragma once
// What a test asserts on and prints from a frame's rule report.
#include <set>
#include <string>

#include "detectors/static_rule_set.h"

namespace uiw::test {

// The rules of the report's findings, info-level ones left out.
std::set<std::string> rules_of(const detectors::FrameReport& report);

// Every finding and observation, one per line: the message of a failed expectation.
std::string describe(const detectors::FrameReport& report);

}  // namespace uiw::test
