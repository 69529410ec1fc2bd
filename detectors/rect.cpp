#include "detectors/rect.h"

#include <cstdio>

namespace uiw::detectors {

std::string Rect::to_bounds_string() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%d,%d][%d,%d]", left, top, right, bottom);
  return buf;
}

bool parse_bounds(const std::string& text, Rect& out) {
  int consumed = 0;
  Rect r;
  if (std::sscanf(text.c_str(), "[%d,%d][%d,%d]%n", &r.left, &r.top, &r.right, &r.bottom,
                  &consumed) != 4 ||
      consumed != static_cast<int>(text.size()))
    return false;
  out = r;
  return true;
}

}  // namespace uiw::detectors
