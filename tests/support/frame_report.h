#pragma once
// Frames built from a dump for the rules, and what a test asserts on and prints from their
// report.
#include <set>
#include <string>

#include "detectors/frame.h"
#include "detectors/static_rule_set.h"

namespace uiw::test {

// A 1080×1920, 480 dpi frame whose tree is `xml` (a uiautomator dump) over a blank screenshot:
// the rules judge it from the tree.
detectors::Frame tree_frame(const std::string& xml);

// The rules of the report's findings, info-level ones left out.
std::set<std::string> rules_of(const detectors::FrameReport& report);

// Every finding and observation, one per line: the message of a failed expectation.
std::string describe(const detectors::FrameReport& report);

}  // namespace uiw::test
