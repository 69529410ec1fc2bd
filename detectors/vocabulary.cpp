#include "detectors/vocabulary.h"

#include <algorithm>
#include <cctype>

namespace uiw::detectors {
namespace {

// Decodes one UTF-8 code point at `i`; returns false (and skips a byte) on invalid input.
bool next_code_point(std::string_view s, size_t& i, char32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return false;
  }
  cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char c = byte(i + k);
    if ((c >> 6) != 0x2) {
      ++i;
      return false;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return true;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_cjk_punctuation(char32_t cp) {
  return (cp >= 0x3000 && cp <= 0x303F) ||  // CJK symbols and punctuation: 、。「」
         cp == 0x00B7 || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D ||
         cp == 0x2026 || cp == 0x2014 || cp == 0x00A0;
}

std::vector<char32_t> decode(std::string_view s) {
  std::vector<char32_t> out;
  char32_t cp = 0;
  for (size_t i = 0; i < s.size();)
    if (next_code_point(s, i, cp)) out.push_back(cp);
  return out;
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Lower-case ASCII letters and digits with every other character of ASCII or CJK punctuation as
// one space, padded with a space each side, so that " no thanks " is found in
// " no thanks i m good " by plain search and only at word boundaries; full-width forms count as
// their ASCII twins and typographic quotes as punctuation ("Don’t allow" is " don t allow ").
// Other non-ASCII text is kept (it never matches an ASCII term).
std::string spaced_words(std::string_view text) {
  std::string out = " ";
  char32_t cp = 0;
  for (size_t i = 0; i < text.size();) {
    if (!next_code_point(text, i, cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp < 0x80 && std::isalnum(static_cast<unsigned char>(cp))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(cp)));
    } else if (cp >= 0x80 && !is_cjk_punctuation(cp)) {
      append_utf8(out, cp);
    } else if (out.back() != ' ') {
      out += ' ';
    }
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

}  // namespace

size_t code_points(std::string_view utf8) {
  return decode(utf8).size();
}

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char32_t cp = 0;
  for (size_t i = 0; i < text.size();) {
    if (!next_code_point(text, i, cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
    if (cp == 0x3000) cp = ' ';
    if (cp < 0x80) {
      unsigned char c = static_cast<unsigned char>(cp);
      if (std::isspace(c) || (std::ispunct(c) && c != '|')) continue;
      out += static_cast<char>(std::tolower(c));
      continue;
    }
    if (is_cjk_punctuation(cp)) continue;
    append_utf8(out, cp);
  }
  return out;
}

Vocabulary::Vocabulary(std::vector<std::string> terms) : terms_(std::move(terms)) {
  normalized_.reserve(terms_.size());
  for (const std::string& t : terms_) {
    normalized_.push_back(normalize_text(t));
    // "notif*" is a stem: it matches words starting with "notif".
    const bool stem = t.size() > 1 && t.back() == '*';
    std::string spaced = spaced_words(stem ? std::string_view(t).substr(0, t.size() - 1) : t);
    if (stem) spaced.pop_back();
    spaced_terms_.push_back(std::move(spaced));
  }
}

std::optional<std::string> Vocabulary::find_in(std::string_view text) const {
  const std::string norm = normalize_text(text);
  if (norm.empty()) return std::nullopt;
  std::string words;  // built on the first Latin term
  for (size_t k = 0; k < terms_.size(); ++k) {
    if (normalized_[k].empty()) continue;
    if (is_ascii(terms_[k])) {
      // Latin terms match whole words: "ad" is not in "download", "rate" not in "Top Rated".
      if (words.empty()) words = spaced_words(text);
      if (words.find(spaced_terms_[k]) != std::string::npos) return terms_[k];
      continue;
    }
    // CJK terms match anywhere: OCR and layouts space Chinese text arbitrarily.
    if (norm.find(normalized_[k]) != std::string::npos) return terms_[k];
  }
  return std::nullopt;
}

std::optional<std::string> Vocabulary::match_label(std::string_view text, bool ocr_tolerant) const {
  const std::string norm = normalize_text(text);
  if (norm.empty()) return std::nullopt;
  for (size_t k = 0; k < terms_.size(); ++k)
    if (normalized_[k] == norm) return terms_[k];
  if (!ocr_tolerant) return std::nullopt;
  const std::vector<char32_t> label = decode(norm);
  for (size_t k = 0; k < terms_.size(); ++k) {
    const std::vector<char32_t> term = decode(normalized_[k]);
    if (term.size() < 2 || term.size() != label.size()) continue;
    size_t differ = 0, non_ascii = 0;
    for (size_t i = 0; i < term.size(); ++i) {
      differ += term[i] != label[i];
      non_ascii += term[i] >= 0x80;
    }
    if (differ == 1 && non_ascii == term.size()) return terms_[k];
  }
  return std::nullopt;
}

}  // namespace uiw::detectors
