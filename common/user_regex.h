#pragma once
// Every regular expression a user writes (scenario selectors, fixture apps, rule profiles) is
// compiled here. libstdc++'s std::regex reads a repetition count or a back-reference number into
// a signed integer without checking, which is undefined behaviour for "\8888888888888888888888"
// or "a{99999999999999999999}" (found by fuzz/scenario_fuzzer), so such numbers are refused
// before it sees the pattern.
#include <regex>
#include <string>

namespace uiw {

// The largest repetition count ("a{1000}") and back-reference number ("\999") accepted.
inline constexpr long kMaxRegexRepetition = 1000;
inline constexpr long kMaxRegexBackReference = 999;

// A std::regex_error whose what() names the refused part of the pattern and where it is.
class UserRegexError : public std::regex_error {
 public:
  UserRegexError(std::regex_constants::error_type code, std::string message);
  const char* what() const noexcept override;

 private:
  std::string message_;
};

// Throws std::regex_error when `pattern` is not valid, UserRegexError when it holds a number
// beyond the limits above.
std::regex compile_user_regex(const std::string& pattern,
                              std::regex::flag_type flags = std::regex::ECMAScript);

}  // namespace uiw
