#pragma once
// Term lists of the rule profile (close/skip words, decline words, shake prompts…) and how screen
// text is matched against them. Text from the tree and from OCR differs in width, case, spacing
// and punctuation ("跳 过", "Skip", "ＳＫＩＰ", "No, thanks"), so both sides are normalised first.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uiw::detectors {

// Lower-cased ASCII, full-width forms folded to ASCII, white space and punctuation (ASCII and
// CJK) removed. Invalid UTF-8 bytes are dropped, never passed on.
std::string normalize_text(std::string_view text);

// Number of Unicode code points of valid UTF-8.
size_t code_points(std::string_view utf8);

class Vocabulary {
 public:
  Vocabulary() = default;
  explicit Vocabulary(std::vector<std::string> terms);

  // The first term that `text` contains. Latin terms match whole words, case and punctuation
  // aside ("no thanks" in "No, thanks!", but "ad" not in "download"), or word starts when they
  // end in '*' ("notif*" in "Notifications"); CJK terms match anywhere, spaces aside.
  std::optional<std::string> find_in(std::string_view text) const;
  // The term when `text` is a control's whole label: equal after normalisation, or, with
  // `ocr_tolerant`, one character off for terms of 2+ characters in non-ASCII scripts, because
  // OCR confuses similar CJK glyphs (关闭 read as 天闭) and a short label leaves no room for
  // another word. Only for lists whose near-misses are harmless (close, decline).
  std::optional<std::string> match_label(std::string_view text, bool ocr_tolerant = false) const;

  const std::vector<std::string>& terms() const { return terms_; }
  bool empty() const { return terms_.empty(); }

 private:
  std::vector<std::string> terms_;         // as written
  std::vector<std::string> normalized_;    // same order
  std::vector<std::string> spaced_terms_;  // " no thanks ": Latin terms for word matching
};

}  // namespace uiw::detectors
