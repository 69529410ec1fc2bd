#include "common/user_regex.h"

#include <fmt/format.h>

namespace uiw {

UserRegexError::UserRegexError(std::regex_constants::error_type code, std::string message)
    : std::regex_error(code), message_(std::move(message)) {}

const char* UserRegexError::what() const noexcept {
  return message_.c_str();
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The decimal number starting at `at` (its digits are skipped), or -1 when it exceeds `limit`;
// `at` must be at a digit.
long read_number(const std::string& pattern, size_t& at, long limit) {
  long value = 0;
  bool too_large = false;
  for (; at < pattern.size() && is_digit(pattern[at]); ++at) {
    if (!too_large) value = value * 10 + (pattern[at] - '0');
    too_large = too_large || value > limit;
  }
  return too_large ? -1 : value;
}

void check_numbers(const std::string& pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const size_t start = i;
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      i += 1;
      if (!is_digit(pattern[i])) continue;  // an escaped character
      if (read_number(pattern, i, kMaxRegexBackReference) < 0)
        throw UserRegexError(
            std::regex_constants::error_backref,
            fmt::format("back-reference \"{}\" at character {} is beyond \\{}",
                        pattern.substr(start, i - start), start + 1, kMaxRegexBackReference));
      --i;
    } else if (pattern[i] == '{') {
      // "{m}", "{m,}" or "{m,n}"; each number is checked.
      for (i += 1; i < pattern.size() && (is_digit(pattern[i]) || pattern[i] == ',');) {
        if (pattern[i] == ',') {
          ++i;
        } else if (read_number(pattern, i, kMaxRegexRepetition) < 0) {
          throw UserRegexError(std::regex_constants::error_brace,
                               fmt::format("repetition count at character {} is beyond {}",
                                           start + 1, kMaxRegexRepetition));
        }
      }
      --i;
    }
  }
}

}  // namespace

std::regex compile_user_regex(const std::string& pattern, std::regex::flag_type flags) {
  check_numbers(pattern);
  return std::regex(pattern, flags);
}

}  // namespace uiw
