#pragma once
// CON-01: a consent, data-sharing, personalisation or marketing option already chosen when the
// user first sees it. Two forms: a checked checkbox, switch or radio next to such a label (from
// the tree, or from the pixels when the page is a WebView or custom view), and an accept option
// pre-highlighted as the filled default against a plain decline ("Yes" filled over an outlined
// "No", "Continue" over a small "Not now").
// CON-02: the same checked option for notifications, marketing, sharing, location, contacts,
// auto sign-in or backup on a screen that asks for no decision (a settings page, an onboarding
// step): a default the user never chose. Where the screen asks (a pop-up, an accept control, a
// highlighted pair) or the label is the agreement itself, it is CON-01. A personalisation switch
// that is on where nothing asks is left to the PER rules (the law asks that it can be turned
// off, not that it starts off).
#include <functional>
#include <optional>
#include <vector>

#include "detectors/finding.h"
#include "detectors/frame.h"
#include "detectors/rule_profile.h"
#include "detectors/screen_text.h"

namespace uiw::detectors {

class OcrService;
struct EdgeView;
struct HighlightedChoice;
struct Observation;

class PreselectedConsentRule {
 public:
  // `reads`: the frame's OCR reads so far (see OcrService::read), or null.
  PreselectedConsentRule(const RuleProfile& profile, OcrService* ocr,
                         std::vector<ReadRegion>* reads = nullptr)
      : profile_(profile), ocr_(ocr), reads_(reads) {}

  // `texts`: the screen's text already read; `popup`: the pop-up the frame shows, if any (a
  // decision is being asked for there). Only the pop-up is searched, in the tree and in the
  // pixels: the page under a modal surface cannot be acted on while it is up.
  std::vector<Finding> check(const Frame& frame, const std::vector<TextItem>& texts,
                             const std::optional<Rect>& popup,
                             std::vector<Observation>& observations) const;

 private:
  // A checked option whose label names a topic of CON-01 or CON-02.
  struct CheckedOption {
    std::string label;
    std::vector<Rect> boxes;  // the control, then its label when apart
    const char* state = "checked";
    // The page's title when it, not the label, names the topic: "Private Chats" on a page
    // titled "Notifications and Sounds".
    std::string page_topic;
  };
  // The title of the page, read once: the settings page an option sits on often names the
  // topic its rows share ("Notifications", "隐私设置") while each row names only its case.
  using TitleReader = std::function<const std::string&()>;
  // Checked boxes of the tree whose centre lies in `searched`.
  std::vector<CheckedOption> from_tree(const Frame& frame, const std::vector<TextItem>& texts,
                                       const Rect& searched, const TitleReader& title) const;
  // `edges`: the searched region's work image and edge map, shared by both pixel searches.
  std::vector<CheckedOption> from_marks(const Frame& frame, const EdgeView& edges,
                                        std::vector<Observation>& seen,
                                        const TitleReader& title) const;
  // The option for a checked control and its label, or none when neither the label nor the
  // page's title names a topic.
  std::optional<CheckedOption> option_for(const std::string& label, std::vector<Rect> boxes,
                                          const char* state, const TitleReader& title) const;
  // The first line of text in the top bar below the status bar (the page's title), or "".
  std::string page_title(const Frame& frame, const std::vector<TextItem>& texts) const;
  bool names_topic(const std::string& label) const;
  // The finding for a checked option, or none: `deciding` when a pop-up or highlighted pair
  // asks for a decision; `asks` tells (once computed) whether the screen asks for one.
  std::optional<Finding> judge(const CheckedOption& option, bool deciding,
                               const std::function<bool()>& asks) const;
  // `popup`: the pop-up the pair was searched in, whose text is the ask.
  std::vector<Finding> from_highlighted_pairs(const Frame& frame,
                                              const std::vector<TextItem>& texts,
                                              const std::optional<Rect>& popup,
                                              const EdgeView& edges,
                                              std::vector<Observation>& seen) const;
  // Words of a consent, sharing, personalisation, marketing or nag ask (an offer, a rating
  // prompt, an upsell).
  bool names_ask_topic(const std::string& text) const;
  // Whether the pair's accept label or the ask above it (in the pop-up, or over the pair on the
  // page) names such a topic: a confirmation ("Delete this file?" Cancel / OK) does not.
  bool asks_about_topic(const Frame& frame, const std::vector<TextItem>& texts,
                        const HighlightedChoice& pair, const std::optional<Rect>& popup,
                        const std::string& accept, std::vector<Observation>& seen) const;
  // A screen asking for a decision (an accept, continue or sign-up control, or a pop-up) rather
  // than a settings page showing the user's current choices, which may rightly be on.
  // `option_boxes`: the checked options and their labels, which are no accept control.
  bool asks_for_decision(const Frame& frame, const std::vector<TextItem>& texts,
                         const std::vector<Rect>& option_boxes) const;
  // "No thanks", "Not now", "Maybe later", "I'll do it later", "暂不": a decline word first or
  // last in a short label, not deep in a sentence ("…you can cancel anytime").
  bool is_decline_option(const std::string& text) const;

  const RuleProfile& profile_;
  OcrService* ocr_;
  std::vector<ReadRegion>* reads_;
};

}  // namespace uiw::detectors
