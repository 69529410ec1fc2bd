#pragma once
// The COCO categories of a synthetic set, in id order (id = position + 1): the widgets a detector
// must find, in their states, and the dark-pattern families `uiwitness eval` already scores.
#include <array>
#include <string_view>

namespace uiw::sim::synth {

namespace category {
inline constexpr std::string_view kSwitchOn = "switch_on";
inline constexpr std::string_view kSwitchOff = "switch_off";
inline constexpr std::string_view kCheckboxChecked = "checkbox_checked";
inline constexpr std::string_view kCheckboxUnchecked = "checkbox_unchecked";
inline constexpr std::string_view kRadioChecked = "radio_checked";
inline constexpr std::string_view kRadioUnchecked = "radio_unchecked";
inline constexpr std::string_view kDialogCard = "dialog_card";
inline constexpr std::string_view kBottomSheet = "bottom_sheet";
inline constexpr std::string_view kInterstitial = "fullscreen_interstitial";
inline constexpr std::string_view kCloseMark = "close_mark";
inline constexpr std::string_view kButtonFilled = "button_filled";
inline constexpr std::string_view kButtonOutlined = "button_outlined";
inline constexpr std::string_view kButtonText = "button_text";
inline constexpr std::string_view kDefaultChoice = "DEFAULT CHOICE";
inline constexpr std::string_view kNagging = "NAGGING";
inline constexpr std::string_view kNoDarkPattern = "NO DP";
}  // namespace category

inline constexpr std::array<std::string_view, 16> kCategories = {
    category::kSwitchOn,          category::kSwitchOff,     category::kCheckboxChecked,
    category::kCheckboxUnchecked, category::kRadioChecked,  category::kRadioUnchecked,
    category::kDialogCard,        category::kBottomSheet,   category::kInterstitial,
    category::kCloseMark,         category::kButtonFilled,  category::kButtonOutlined,
    category::kButtonText,        category::kDefaultChoice, category::kNagging,
    category::kNoDarkPattern,
};

// The COCO id of a category name; 0 when it is not one of kCategories.
constexpr int category_id(std::string_view name) {
  for (size_t i = 0; i < kCategories.size(); ++i) {
    if (kCategories[i] == name) return static_cast<int>(i) + 1;
  }
  return 0;
}

}  // namespace uiw::sim::synth
