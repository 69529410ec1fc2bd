#include "harness/pair_eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "common/error.h"
#include "detectors/droidbot_state.h"
#include "detectors/image_file.h"
#include "detectors/ocr_service.h"
#include "detectors/pixel_element_finder.h"
#include "harness/detection_metrics.h"

namespace uiw::harness {
namespace {

namespace fs = std::filesystem;
using detectors::Rect;
using detectors::ScreenElement;
using Kind = ScreenElement::Kind;

struct Pair {
  fs::path image;
  fs::path tree;
};

// Images with a same-name dump, in path order (the same on every machine).
std::vector<Pair> find_pairs(const std::string& dir) {
  if (!fs::is_directory(dir))
    throw Error(ErrorKind::kNotFound, fmt::format("--pairs {} is not a folder", dir));
  std::vector<Pair> pairs;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") continue;
    for (const char* tree_ext : {".xml", ".json"}) {
      fs::path tree = e.path();
      tree.replace_extension(tree_ext);
      if (fs::exists(tree)) {
        pairs.push_back({e.path(), tree});
        break;
      }
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const Pair& a, const Pair& b) { return a.image < b.image; });
  return pairs;
}

// A pixel element stands for a tree element when its centre lies in the tree element's box
// grown by a margin: a widget's node is often its whole touch target, the drawn mark a part.
bool stands_for(const ScreenElement& pixel, const ScreenElement& tree, int margin) {
  const Rect grown{tree.box.left - margin, tree.box.top - margin, tree.box.right + margin,
                   tree.box.bottom + margin};
  return grown.contains(pixel.box.center_x(), pixel.box.center_y());
}

struct KindTally {
  int in_tree = 0;     // elements the tree has
  int found = 0;       // of them, a pixel element of a selection kind stands for it
  int same_kind = 0;   // … of the same kind
  int same_state = 0;  // … in the same state (selection widgets)
  int unmatched = 0;   // pixel elements of this kind that stand for nothing in the tree
  Counts counts() const { return {found, unmatched, in_tree - found}; }
};

struct DialogTally {
  int frames_with = 0;     // frames whose tree has a dialog window
  int found = 0;           // … where the pixels found a surface over it (IoU ≥ 0.5)
  int frames_without = 0;  // frames whose tree has none
  int surfaces_without = 0;
};

class PairScorer {
 public:
  // One frame's elements; `margin` (px) is how far outside a tree element's box the centre of
  // the pixel element standing for it may lie. Returns the disagreements, one line each.
  std::vector<std::string> add(const std::vector<ScreenElement>& tree,
                               const std::vector<ScreenElement>& pixels, int margin) {
    std::vector<std::string> notes;
    std::vector<bool> used(pixels.size(), false);
    for (const ScreenElement& t : tree) {
      if (t.kind == Kind::kDialog) continue;
      KindTally& k = tallies_[t.kind];
      ++k.in_tree;
      const bool selection = detectors::is_selection(t.kind);
      // Nearest unused pixel element of a compatible kind (any selection kind for a widget).
      std::optional<size_t> best;
      long best_d = 0;
      for (size_t i = 0; i < pixels.size(); ++i) {
        const ScreenElement& p = pixels[i];
        if (used[i] || detectors::is_selection(p.kind) != selection) continue;
        if (!selection && p.kind != t.kind) continue;
        if (!stands_for(p, t, margin)) continue;
        const long dx = p.box.center_x() - t.box.center_x(),
                   dy = p.box.center_y() - t.box.center_y();
        if (!best || dx * dx + dy * dy < best_d) best = i, best_d = dx * dx + dy * dy;
      }
      if (!best) {
        notes.push_back(fmt::format("missed {} {} at {}", to_string(t.kind),
                                    t.checked ? (*t.checked ? "on" : "off") : "",
                                    t.box.to_bounds_string()));
        continue;
      }
      used[*best] = true;
      const ScreenElement& p = pixels[*best];
      ++k.found;
      k.same_kind += p.kind == t.kind;
      const bool state_ok = !t.checked || p.checked == t.checked;
      k.same_state += state_ok;
      if (p.kind != t.kind || !state_ok)
        notes.push_back(fmt::format("tree {} {} at {}, pixels {} {}", to_string(t.kind),
                                    t.checked.value_or(false) ? "on" : "off",
                                    t.box.to_bounds_string(), to_string(p.kind),
                                    p.checked.value_or(false) ? "on" : "off"));
    }
    for (size_t i = 0; i < pixels.size(); ++i) {
      const ScreenElement& p = pixels[i];
      if (p.kind == Kind::kDialog) continue;
      if (used[i]) continue;
      ++tallies_[p.kind].unmatched;
      notes.push_back(
          fmt::format("extra {} at {}: {}", to_string(p.kind), p.box.to_bounds_string(), p.detail));
    }
    add_dialog(tree, pixels, notes);
    return notes;
  }

  const std::map<Kind, KindTally>& tallies() const { return tallies_; }
  const DialogTally& dialogs() const { return dialogs_; }

  // All selection kinds together, matched across kinds.
  KindTally selection() const {
    KindTally all;
    for (const auto& [kind, k] : tallies_) {
      if (!detectors::is_selection(kind)) continue;
      all.in_tree += k.in_tree;
      all.found += k.found;
      all.same_kind += k.same_kind;
      all.same_state += k.same_state;
      all.unmatched += k.unmatched;
    }
    return all;
  }

 private:
  void add_dialog(const std::vector<ScreenElement>& tree, const std::vector<ScreenElement>& pixels,
                  std::vector<std::string>& notes) {
    auto dialog_in = [](const std::vector<ScreenElement>& list) -> const ScreenElement* {
      for (const ScreenElement& e : list)
        if (e.kind == Kind::kDialog) return &e;
      return nullptr;
    };
    const ScreenElement* t = dialog_in(tree);
    const ScreenElement* p = dialog_in(pixels);
    if (t) {
      ++dialogs_.frames_with;
      if (p && detectors::iou(t->box, p->box) >= 0.5) {
        ++dialogs_.found;
      } else {
        notes.push_back(fmt::format("dialog window at {} {}", t->box.to_bounds_string(),
                                    p ? "found elsewhere: " + p->detail : "not found"));
      }
    } else {
      ++dialogs_.frames_without;
      if (p) {
        ++dialogs_.surfaces_without;
        notes.push_back(fmt::format("surface without a dialog window at {}: {}",
                                    p->box.to_bounds_string(), p->detail));
      }
    }
  }

  std::map<Kind, KindTally> tallies_;
  DialogTally dialogs_;
};

// The pixel elements the tree can speak for: a dump holds the focused window only (a dialog's
// dump says nothing of the page dimmed under it), so elements outside every window of the tree
// are neither confirmed nor contradicted by it. The pop-up surface is judged on its own.
std::vector<ScreenElement> described_by(const detectors::UiTree& tree,
                                        std::vector<ScreenElement> pixels) {
  std::erase_if(pixels, [&](const ScreenElement& e) {
    if (e.kind == Kind::kDialog) return false;
    return std::none_of(tree.roots().begin(), tree.roots().end(), [&](const detectors::UiNode& r) {
      return r.bounds.contains(e.box.center_x(), e.box.center_y());
    });
  });
  return pixels;
}

double share(int part, int whole) {
  return whole > 0 ? static_cast<double>(part) / whole : 0;
}

nlohmann::json tally_json(const KindTally& k) {
  const Counts c = k.counts();
  return {{"in_tree", k.in_tree},     {"found", k.found},
          {"same_kind", k.same_kind}, {"same_state", k.same_state},
          {"extra", k.unmatched},     {"precision", c.precision()},
          {"recall", c.recall()},     {"state_agreement", share(k.same_state, k.in_tree)}};
}

}  // namespace

int run_pair_eval(const PairEvalOptions& options, std::ostream& out) {
  using namespace detectors;
  std::vector<Pair> pairs;
  for (const std::string& dir : options.dirs) {
    std::vector<Pair> found = find_pairs(dir);
    pairs.insert(pairs.end(), found.begin(), found.end());
  }
  if (pairs.empty())
    throw Error(ErrorKind::kNotFound,
                "--pairs: no image with a same-name .xml (uiautomator) or .json (DroidBot) dump");
  const RuleProfile profile = RuleProfile::find(options.profile);
  OcrService ocr(1);
  const PixelElementFinder finder(profile, &ocr);
  PairScorer scorer;
  nlohmann::json frames = nlohmann::json::array();
  for (const Pair& pair : pairs) {
    Frame frame;
    frame.image = read_image_file(pair.image.string());
    frame.density_dpi =
        options.density_dpi.value_or(guess_density_dpi(frame.width(), frame.height()));
    const UiTree tree = load_any_tree(pair.tree.string());
    const std::vector<ScreenElement> from_tree =
        tree_elements(tree, frame.bounds(), static_cast<int>(frame.to_px(64)));
    const std::vector<std::string> notes = scorer.add(
        from_tree, described_by(tree, finder.find(frame)), static_cast<int>(frame.to_px(8)));
    frames.push_back(
        {{"image", pair.image.string()}, {"tree", pair.tree.string()}, {"disagreements", notes}});
    if (options.verbose && !options.json) {
      out << fmt::format("{}: {} disagreement{}\n", pair.image.string(), notes.size(),
                         notes.size() == 1 ? "" : "s");
      for (const std::string& n : notes) out << "    " << n << '\n';
    }
  }

  const KindTally selection = scorer.selection();
  const DialogTally& d = scorer.dialogs();
  if (options.json) {
    nlohmann::json kinds = nlohmann::json::object();
    for (const auto& [kind, k] : scorer.tallies()) kinds[to_string(kind)] = tally_json(k);
    kinds["selection"] = tally_json(selection);
    out << nlohmann::json{{"frames", pairs.size()},
                          {"profile", profile.name()},
                          {"kinds", kinds},
                          {"dialog",
                           {{"frames_with", d.frames_with},
                            {"found", d.found},
                            {"found_share", share(d.found, d.frames_with)},
                            {"frames_without", d.frames_without},
                            {"surfaces_without", d.surfaces_without}}},
                          {"per_frame", frames}}
               .dump(2)
        << '\n';
    return 0;
  }
  out << fmt::format("{} frames with their tree, pixels searched without it, profile {}\n",
                     pairs.size(), profile.name());
  out << fmt::format("{:<11} {:>6} {:>6} {:>6} {:>6}  {:>9} {:>6}  {:>10} {:>14}\n", "kind", "tree",
                     "found", "extra", "kind=", "precision", "recall", "state=", "state agrees");
  auto row = [&](const std::string& name, const KindTally& k) {
    const Counts c = k.counts();
    out << fmt::format("{:<11} {:>6} {:>6} {:>6} {:>6}  {:>9.2f} {:>6.2f}  {:>10} {:>13.1f}%\n",
                       name, k.in_tree, k.found, k.unmatched, k.same_kind, c.precision(),
                       c.recall(), k.same_state, 100 * share(k.same_state, k.in_tree));
  };
  for (const auto& [kind, k] : scorer.tallies()) row(to_string(kind), k);
  row("selection", selection);
  out << fmt::format(
      "dialog windows: {} of {} frames found (IoU >= 0.5, {:.1f}%); a surface on {} of {} frames "
      "without one\n",
      d.found, d.frames_with, 100 * share(d.found, d.frames_with), d.surfaces_without,
      d.frames_without);
  out << "state agrees: the pixels found the widget in the tree's state (missed widgets count as "
         "disagreeing)\n";
  return 0;
}

}  // namespace uiw::harness
