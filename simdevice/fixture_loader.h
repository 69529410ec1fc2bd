#pragma once
// Reads a fixture app (fixtures/apps/README.md) from YAML into an AppModel. Every mistake is a
// uiw::Error(kConfig) reading "FILE:LINE:COL: what is wrong" (1-based), so an author can jump to
// it: YAML syntax, unknown keys (with the allowed ones), bad colours, bounds, regexes, and
// references to screens, activities or states that do not exist.
#include <string>

#include "simdevice/app_model.h"

namespace uiw::sim {

class FixtureLoader {
 public:
  // Relative image and recorded-frame paths are resolved against the file's folder.
  static AppModel load_file(const std::string& path);
  // `source` names the text in messages; `base_dir` resolves relative paths.
  static AppModel load_text(const std::string& yaml, const std::string& source,
                            const std::string& base_dir);
};

}  // namespace uiw::sim
