#pragma once
// report.html: one self-contained, offline page for reviewers. Per scenario × device it shows the
// findings with their annotated frames and a timeline of the steps with their frames; frames are
// embedded as downscaled data: URIs and link to the full-size files relatively, so the page works
// from a copied run directory or a CI artefact without network access. The page renders from an
// embedded JSON block with textContent only (app text may hold <, &, quotes), and filters the
// findings by rule and severity; the URL fragment "#rule=POP-06,POP-02&severity=violation" sets
// the filters, so a filtered view can be linked.
#include <filesystem>
#include <string>

#include "harness/run_report.h"

namespace uiw::harness {

struct HtmlReportOptions {
  int timeline_width = 160;  // px, thumbnails of step frames
  int finding_width = 360;   // px, thumbnails of annotated frames: boxes must stay readable
  // Per bundle, at most this many steps show their frames as thumbnails (the first and last
  // halves of the budget), besides every step that failed or found something; the others link
  // their frames. A 10,000-step soak bundle would otherwise make a page of tens of MB.
  int max_step_thumbnails = 300;
};

// The page as text; links to frames are relative to `report_path`'s directory.
std::string html_report(const RunSummary& summary, const std::filesystem::path& report_path,
                        const HtmlReportOptions& options = {});
void write_html_report(const RunSummary& summary, const std::filesystem::path& path,
                       const HtmlReportOptions& options = {});

}  // namespace uiw::harness
