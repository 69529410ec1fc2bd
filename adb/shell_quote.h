#pragma once
// Quoting for the device's /system/bin/sh (mksh/toybox): every argument we send arrives as one
// literal word, whatever characters it holds.
#include <string>
#include <string_view>
#include <vector>

namespace uiw::adb {

// `abc` stays as is; anything else is single-quoted with ' written as '\''.
std::string shell_quote(std::string_view arg);
// Quoted arguments joined by spaces: a command line for `shell,v2,raw:`.
std::string shell_join(const std::vector<std::string>& args);

// The `input text` commands that type `text` literally: quoted for sh, spaces written as %s
// (input turns %s into a space), and split where the text itself contains "%s" so that it is
// not turned into a space. Returns "" for empty text. Joined with " && ".
std::string input_text_command(std::string_view text);

}  // namespace uiw::adb
