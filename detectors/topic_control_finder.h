#pragma once
// "Find the control for topic T": the personalisation switch (or any topic of the profile's
// vocabulary) on the current screen, with its checked state, from the tree or from the pixels.
// The harness's PER-01/02/03 probes explore settings pages with it and read the state back after
// a relaunch.
#include <optional>
#include <string>
#include <vector>

#include "detectors/frame.h"
#include "detectors/rule_profile.h"
#include "detectors/vocabulary.h"

namespace uiw::detectors {

class OcrService;

struct TopicControl {
  enum class Source { kTree, kPixels };
  std::string label;  // the screen text that matched
  std::string term;   // the vocabulary term it matched
  Rect label_box;
  // The switch or checkbox when there is one; else the tappable row holding the label (an entry
  // leading to a deeper page).
  Rect control_box;
  bool checkable = false;
  std::optional<bool> checked;  // known when checkable
  Source source = Source::kTree;
};

class TopicControlFinder {
 public:
  // `ocr` may be null (tree only). All must outlive the finder; `profile` chooses how selection
  // widgets are found in pixels.
  TopicControlFinder(const RuleProfile& profile, const Vocabulary& topic, OcrService* ocr)
      : profile_(profile), topic_(topic), ocr_(ocr) {}

  // Every label of the topic on screen with its control, switches first, then top to bottom.
  std::vector<TopicControl> find_all(const Frame& frame) const;
  std::optional<TopicControl> find(const Frame& frame) const;

 private:
  std::vector<TopicControl> from_tree(const Frame& frame) const;
  std::vector<TopicControl> from_pixels(const Frame& frame) const;
  const RuleProfile& profile_;
  const Vocabulary& topic_;
  OcrService* ocr_;
};

}  // namespace uiw::detectors
