#include "harness/html_report.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "common/error.h"
#include "detectors/image_file.h"
#include "harness/evidence_bundle.h"

namespace uiw::harness {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Percent-encodes a relative path for an href: a frame file name may hold '#', '?', '%' or spaces.
std::string href(const std::string& relative) {
  std::string out;
  for (const char ch : relative) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~/").find(ch) != std::string_view::npos)
      out += ch;
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string base64(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Frames are embedded once each, downscaled; the JSON refers to them by key.
class Thumbnails {
 public:
  // Key of the thumbnail of `file`, or empty when it cannot be read (missing, tampered, corrupt:
  // the integrity section says which).
  std::string add(const fs::path& file, int width) {
    const std::string key = fmt::format("{}@{}", file.generic_string(), width);
    if (images_.contains(key)) return key;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return {};
    try {
      cv::Mat image = detectors::read_image_file(file.string());
      if (image.cols > width) {
        cv::Mat small;
        const int height = std::max(1, image.rows * width / image.cols);
        cv::resize(image, small, cv::Size(width, height), 0, 0, cv::INTER_AREA);
        image = small;
      }
      std::vector<unsigned char> jpeg;
      if (!cv::imencode(".jpg", image, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80})) return {};
      images_[key] = "data:image/jpeg;base64," + base64(jpeg);
      return key;
    } catch (const Error&) {
      return {};
    }
  }
  json to_json() const { return json(images_); }

 private:
  std::map<std::string, std::string> images_;
};

std::string measure(const detectors::Finding& f) {
  if (!f.value) return {};
  if (!f.threshold) return fmt::format("{:g} {}", *f.value, f.unit);
  return fmt::format("{:g} {} (threshold {:g} {})", *f.value, f.unit, *f.threshold, f.unit);
}

std::string step_number(const BundleSummary& b, int index) {
  for (const StepSummary& s : b.steps)
    if (s.index == index) return s.number;
  return {};
}

json page_data(const RunSummary& summary, const fs::path& report_dir,
               const HtmlReportOptions& options) {
  Thumbnails thumbs;
  auto link = [&](const BundleSummary& b, const std::string& relative) -> json {
    if (relative.empty()) return nullptr;
    return href((b.dir / relative).lexically_relative(report_dir).generic_string());
  };
  auto thumb = [&](const BundleSummary& b, const std::string& relative, int width) -> json {
    if (relative.empty()) return nullptr;
    const std::string key = thumbs.add(b.dir / relative, width);
    return key.empty() ? json(nullptr) : json(key);
  };

  const RunCounts c = summary.counts();
  json bundles = json::array();
  std::set<std::string> rules;
  for (const BundleSummary& b : summary.bundles) {
    json steps = json::array();
    const size_t budget = static_cast<size_t>(std::max(0, options.max_step_thumbnails));
    for (size_t at = 0; at < b.steps.size(); ++at) {
      const StepSummary& s = b.steps[at];
      int findings = 0;
      for (const FindingSummary& f : b.findings) findings += f.step == s.index;
      const bool shown = b.steps.size() <= budget || at < budget / 2 ||
                         at >= b.steps.size() - (budget - budget / 2) || s.outcome != "passed" ||
                         findings > 0;
      json frames = json::array();
      for (const std::string& frame : s.frames) {
        if (shown)
          frames.push_back(
              {{"href", link(b, frame)}, {"thumb", thumb(b, frame, options.timeline_width)}});
        else
          frames.push_back({{"href", link(b, frame)}, {"thumb", nullptr}, {"linked", true}});
      }
      json annotated = json::array();
      for (const std::string& a : s.annotated) annotated.push_back(link(b, a));
      steps.push_back({{"number", s.number},
                       {"name", s.name.empty() ? s.kind : s.name},
                       {"outcome", s.outcome},
                       {"optional", s.optional},
                       {"duration", s.duration_s ? json(fmt::format("{:.1f} s", *s.duration_s))
                                                 : json(nullptr)},
                       {"rule", s.rule},
                       {"message", s.message},
                       {"where", s.where},
                       {"findings", findings},
                       {"frames", frames},
                       {"annotated", annotated}});
    }
    json findings = json::array();
    for (const FindingSummary& f : b.findings) {
      const detectors::Finding& d = f.finding;
      rules.insert(d.rule);
      std::string boxes;
      for (const detectors::Rect& r : d.boxes)
        boxes += (boxes.empty() ? "" : " ") + r.to_bounds_string();
      const std::string& shown = f.annotated.empty() ? f.frame : f.annotated;
      findings.push_back({{"rule", d.rule},
                          {"severity", detectors::to_string(d.severity)},
                          {"message", d.message},
                          {"regulation", d.regulation},
                          {"measure", measure(d)},
                          {"boxes", boxes},
                          {"step", step_number(b, f.step)},
                          {"frame", link(b, f.frame)},
                          {"annotated", link(b, f.annotated)},
                          {"frame_name", f.frame.empty() ? d.frame : f.frame},
                          {"thumb", thumb(b, shown, options.finding_width)}});
    }
    bundles.push_back(
        {{"path", b.path},
         {"dir", href(b.dir.lexically_relative(report_dir).generic_string())},
         {"scenario", b.scenario},
         {"scenario_file", b.scenario_file},
         {"device", fmt::format("{}{}", b.device_serial,
                                b.device_model.empty() ? "" : " · " + b.device_model)},
         {"android", b.device_sdk > 0
                         ? fmt::format("Android {} (SDK {})", b.device_release, b.device_sdk)
                         : std::string()},
         {"app", fmt::format("{} {}", b.app_package, b.app_version)},
         {"outcome", b.outcome},
         {"superseded_by", b.superseded_by},
         {"failing", b.has_failures()},
         {"error", b.error},
         {"started", b.started},
         {"duration", b.duration_s ? json(fmt::format("{:.1f} s", *b.duration_s)) : json(nullptr)},
         {"intact", b.intact},
         {"problems", b.problems},
         {"steps", steps},
         {"findings", findings}});
  }
  return {{"run", summary.dir.filename().string()},
          {"generated", iso8601_utc_now()},
          {"outcome", summary.outcome()},
          {"counts",
           {{"bundles", c.bundles},
            {"passed", c.passed},
            {"failed", c.failed},
            {"error", c.errors},
            {"incomplete", c.incomplete},
            {"retried", c.retried},
            {"steps", c.steps},
            {"findings", c.findings},
            {"by_severity", c.by_severity},
            {"not_intact", c.not_intact}}},
          {"rules", rules},
          {"bundles", bundles},
          {"images", thumbs.to_json()}};
}

// Inside <script>, "</script>" or "<!--" in app text would end the block; JSON allows \u escapes,
// and these characters only occur inside JSON strings.
std::string script_safe_json(const json& data) {
  const std::string text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

constexpr std::string_view kStyle = R"CSS(
:root { --violation: #b3261e; --warning: #a15c00; --info: #35618f; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0;
       color: #1b1b1f; background: #f6f6f8; }
header, main { padding: 12px 24px; }
header { background: #fff; border-bottom: 1px solid #ddd; position: sticky; top: 0; z-index: 2; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
         font-size: 12px; font-weight: 600; text-transform: uppercase; }
.passed { background: var(--ok); } .failed { background: var(--violation); }
.error, .incomplete { background: #5f5f66; } .skipped, .retried { background: #999; }
.violation { background: var(--violation); } .warning { background: var(--warning); }
.info { background: var(--info); }
#filters { margin-top: 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; }
#filters fieldset { border: 1px solid #ccc; border-radius: 6px; padding: 2px 8px; margin: 0; }
#filters label { margin-right: 8px; white-space: nowrap; }
section.bundle { background: #fff; border: 1px solid #ddd; border-radius: 8px; margin: 16px 0;
                 padding: 12px 16px; }
.meta { color: #555; margin: 4px 0 8px; }
.problems { color: var(--violation); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-top: 1px solid #eee; }
th { font-size: 12px; color: #555; }
td.rule { font-weight: 700; white-space: nowrap; }
.timeline { display: flex; gap: 10px; overflow-x: auto; padding: 4px 0 8px; }
.step { flex: 0 0 auto; min-width: 176px; max-width: 360px; overflow-wrap: anywhere;
        border: 1px solid #ddd; border-radius: 6px; padding: 6px; font-size: 12px;
        background: #fafafa; }
.step.failed-step { border-color: var(--violation); }
.frames { display: flex; gap: 4px; }
.frames img { width: 160px; }
.step img, td img { display: block; max-width: 100%; border: 1px solid #ccc; }
td img { width: 240px; }
.nothumb { color: #888; font-style: italic; }
.small { font-size: 12px; color: #666; }
)CSS";

constexpr std::string_view kScript = R"JS(
'use strict';
const data = JSON.parse(document.getElementById('uiw-data').textContent);
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
function badge(text) { return el('span', {class: 'badge ' + text, text: text}); }
function image(key, href, alt, linked) {
  if (linked) return el('a', {class: 'nothumb', href: href, target: '_blank', text: 'frame'});
  if (!key || !data.images[key]) return el('div', {class: 'nothumb', text: 'frame not available'});
  const img = el('img', {src: data.images[key], alt: alt, loading: 'lazy'});
  return href ? el('a', {href: href, target: '_blank'}, img) : img;
}
function summary() {
  const c = data.counts, sev = c.by_severity || {};
  const box = document.getElementById('summary');
  box.append(badge(data.outcome), ' ',
    `${c.bundles} bundle(s): ${c.passed} passed, ${c.failed} failed, ${c.error} error, ` +
    `${c.incomplete} interrupted` + (c.retried ? `, ${c.retried} retried on another device` : '') +
    ` · ${c.steps} steps · ${c.findings} finding(s): ` +
    `${sev.violation || 0} violation, ${sev.warning || 0} warning, ${sev.info || 0} info`);
  if (c.not_intact) box.append(el('div', {class: 'problems',
    text: `${c.not_intact} bundle(s) fail evidence verification`}));
}
function findingsTable(b) {
  if (!b.findings.length) return el('p', {class: 'small', text: 'No findings.'});
  const body = el('tbody');
  for (const f of b.findings) {
    const links = el('div', {class: 'small'});
    if (f.annotated) links.append(el('a', {href: f.annotated, target: '_blank', text: 'annotated'}), ' ');
    if (f.frame) links.append(el('a', {href: f.frame, target: '_blank', text: 'frame'}));
    else if (f.frame_name) links.append(f.frame_name);
    body.append(el('tr', {class: 'finding', 'data-rule': f.rule, 'data-severity': f.severity},
      el('td', {class: 'rule', text: f.rule}),
      el('td', {}, badge(f.severity)),
      el('td', {}, el('div', {class: 'message', text: f.message}),
        el('div', {class: 'small', text: [f.measure, f.boxes && 'at ' + f.boxes,
          f.step ? 'step ' + f.step : '', f.regulation].filter(Boolean).join(' · ')})),
      el('td', {}, image(f.thumb, f.annotated || f.frame, f.rule), links)));
  }
  return el('table', {},
    el('thead', {}, el('tr', {}, ...['Rule', 'Severity', 'Finding', 'Evidence'].map(
      t => el('th', {text: t})))), body);
}
function timeline(b) {
  if (!b.steps.length) return el('p', {class: 'small', text: 'No steps recorded.'});
  const strip = el('div', {class: 'timeline'});
  for (const s of b.steps) {
    const card = el('div', {class: 'step' + (s.outcome === 'failed' ? ' failed-step' : ''),
                            'data-step': s.number},
      el('div', {}, el('b', {text: '#' + s.number + ' '}), badge(s.outcome)),
      el('div', {class: 'step-name', text: s.name}),
      el('div', {class: 'small', text: [s.duration, s.where].filter(Boolean).join(' · ')}));
    if (s.message) card.append(el('div', {class: 'small', text: (s.rule ? s.rule + ': ' : '') + s.message}));
    if (s.findings) card.append(el('div', {class: 'small', text: s.findings + ' finding(s)'}));
    if (s.frames.length) card.append(el('div', {class: 'frames'},
      ...s.frames.map((f, i) => image(f.thumb, f.href, 'step ' + s.number + ' frame ' + (i + 1),
                                      f.linked))));
    s.annotated.forEach((href, i) => card.append(
      el('a', {class: 'small', href: href, target: '_blank', text: 'annotated ' + (i + 1)}), ' '));
    strip.append(card);
  }
  const linked = b.steps.filter(s => s.frames.some(f => f.linked)).length;
  if (!linked) return strip;
  return el('div', {}, el('p', {class: 'small linked-only', text: `${linked} passing steps ` +
    'link their frames instead of showing them, to keep this page small'}), strip);
}
function bundles() {
  const main = document.getElementById('bundles');
  data.bundles.forEach((b, i) => {
    const sec = el('section', {class: 'bundle', id: 'bundle-' + (i + 1)},
      el('h2', {}, badge(b.outcome), ' ', b.scenario + ' — ' + b.device),
      el('div', {class: 'meta', text: [b.app, b.android, b.started && 'started ' + b.started,
        b.duration, 'evidence ' + b.path].filter(Boolean).join(' · ')}));
    if (b.error) sec.append(el('div', {class: 'problems', text: 'Error: ' + b.error}));
    if (b.superseded_by)
      sec.append(el('div', {class: 'small', text: 'Retried: the device failed during this ' +
        'attempt; ' + b.superseded_by + ' replaced it.'}));
    if (b.outcome === 'incomplete')
      sec.append(el('div', {class: 'problems', text: 'Interrupted: this bundle was never finished.'}));
    sec.append(el('div', {class: b.intact ? 'small' : 'problems',
      text: b.intact ? 'Evidence verified against manifest.json.'
                     : 'Evidence does NOT match its manifest:'}));
    if (b.problems.length) sec.append(el('ul', {class: 'problems'},
      ...b.problems.map(p => el('li', {text: p}))));
    sec.append(el('h3', {text: 'Findings'}), findingsTable(b),
               el('h3', {text: 'Steps'}), timeline(b));
    main.append(sec);
  });
}
const filters = {rules: new Set(data.rules), severities: new Set(['violation', 'warning', 'info'])};
function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (params.has('rule')) filters.rules = new Set(params.get('rule').split(',').filter(Boolean));
  if (params.has('severity'))
    filters.severities = new Set(params.get('severity').split(',').filter(Boolean));
}
function writeHash() {
  const all = filters.rules.size === data.rules.length && filters.severities.size === 3;
  const hash = all ? '' : '#rule=' + [...filters.rules].join(',') + '&severity=' +
                          [...filters.severities].join(',');
  try { history.replaceState(null, '', hash || location.pathname + location.search); } catch (e) {}
}
function applyFilters() {
  let shown = 0, total = 0;
  for (const row of document.querySelectorAll('tr.finding')) {
    const visible = filters.rules.has(row.dataset.rule) && filters.severities.has(row.dataset.severity);
    row.hidden = !visible;
    total++;
    if (visible) shown++;
  }
  for (const box of document.querySelectorAll('#filters input')) {
    box.checked = (box.name === 'rule' ? filters.rules : filters.severities).has(box.value);
  }
  document.getElementById('shown').textContent = `Showing ${shown} of ${total} findings`;
}
function filterBar() {
  const bar = document.getElementById('filters');
  const group = (title, name, values, set) => {
    const fs = el('fieldset', {}, el('legend', {text: title}));
    for (const v of values) {
      const box = el('input', {type: 'checkbox', name: name, value: v});
      box.addEventListener('change', () => {
        box.checked ? set().add(v) : set().delete(v);
        writeHash();
        applyFilters();
      });
      fs.append(el('label', {}, box, ' ' + v));
    }
    return fs;
  };
  bar.append(group('Rule', 'rule', data.rules, () => filters.rules),
             group('Severity', 'severity', ['violation', 'warning', 'info'], () => filters.severities),
             el('span', {id: 'shown'}));
}
summary();
filterBar();
bundles();
readHash();
applyFilters();
window.addEventListener('hashchange', () => { readHash(); applyFilters(); });
)JS";

}  // namespace

std::string html_report(const RunSummary& summary, const fs::path& report_path,
                        const HtmlReportOptions& options) {
  const fs::path report_dir = fs::absolute(report_path).parent_path();
  RunSummary absolute = summary;
  for (BundleSummary& b : absolute.bundles) b.dir = fs::absolute(b.dir);
  const json data = page_data(absolute, report_dir, options);
  const std::string title = fmt::format("uiwitness report — {}", summary.dir.filename().string());
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Offline by construction: nothing may be fetched; frames are data: URIs, links are relative.
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(title),
                      kStyle);
  page += fmt::format(
      "<header>\n<h1>{}</h1>\n<div id=\"summary\"></div>\n<div id=\"filters\"></div>\n"
      "<noscript>This report renders with JavaScript; the same data is in run.json and "
      "junit.xml.</noscript>\n</header>\n<main id=\"bundles\"></main>\n",
      html_escape(title));
  page +=
      "<script type=\"application/json\" id=\"uiw-data\">" + script_safe_json(data) + "</script>\n";
  page += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return page;
}

void write_html_report(const RunSummary& summary, const fs::path& path,
                       const HtmlReportOptions& options) {
  write_file_atomically(path, html_report(summary, path, options));
}

}  // namespace uiw::harness
