#pragma once
// What synthetic screens say, in Chinese and English: short labels as real apps write them, each
// option marked when it is one a dark pattern pre-selects (consent, marketing, notifications,
// location, personalisation, data sharing), and pop-up texts marked when they interrupt to ask
// for something (nagging) rather than confirm what the user just did.
#include <span>
#include <string_view>

namespace uiw::sim::synth {

enum class Language { kChinese, kEnglish };

struct OptionPhrase {
  std::string_view text;
  bool consent_topic;  // pre-selected, it is a DEFAULT CHOICE on a screen asking for a decision
  // Should start off even where nothing asks (notifications, marketing, location, contacts,
  // sharing, auto sign-in, backup: CON-02), so on a settings page too it is a DEFAULT CHOICE
  // when on. Personalisation is not: it must be switchable off, not start off.
  bool default_on_topic = false;
};

enum class PromptKind {
  kConsent,       // privacy / cookie consent: accept or decline
  kPermission,    // notifications, location
  kPromotion,     // update, install, sign in, coupons
  kRating,        // "Enjoying the app?"
  kConfirmation,  // the user's own action: "Delete 3 photos?": not nagging
};

struct PromptPhrase {
  PromptKind kind;
  std::string_view title;
  std::string_view body;
  std::string_view accept;
  std::string_view decline;
};

struct PhraseBook {
  std::span<const OptionPhrase> settings_options;
  std::span<const OptionPhrase> consent_checks;  // "I agree…", "Send me offers" rows
  std::span<const std::string_view> page_titles;
  std::span<const std::string_view> section_headers;
  std::span<const std::string_view> option_summaries;  // a row's second line
  std::span<const PromptPhrase> prompts;
  std::span<const std::string_view> content_titles;
  std::span<const std::string_view> content_snippets;
  std::span<const std::string_view> tab_labels;
  std::span<const std::string_view> ad_headlines;
  std::span<const std::string_view> ad_actions;
  std::span<const std::string_view> consent_page_titles;
  std::span<const std::string_view> consent_page_bodies;
  std::span<const std::string_view> continue_labels;
  std::span<const std::string_view> choice_labels;  // radio / single-choice rows
  std::span<const std::string_view> sheet_actions;  // a bottom sheet's list of actions
  std::string_view skip;                            // "跳过" / "Skip" on splash ads
  std::string_view more;

  static const PhraseBook& of(Language language);
};

}  // namespace uiw::sim::synth
