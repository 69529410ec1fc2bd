// The `link` probe: LNK-01 (an outbound link is blocked) and LNK-02 (links of the same kind end
// differently). A link is opened when Android starts something for it — a VIEW intent for its
// URL, another app resumed, or another activity of the app (an in-app browser is lawful) — and
// no link-blocking page ("copy the link into a browser", "access stopped") is in front.
#include <fmt/format.h>

#include <thread>

#include "detectors/close_control_finder.h"
#include "detectors/screen_text.h"
#include "harness/navigation_watch.h"
#include "harness/probe_context.h"

namespace uiw::harness {

namespace {

using detectors::Rect;
using std::chrono::milliseconds;

struct LinkOutcome {
  std::string what;  // the selector or URL, for messages
  std::string url;   // when known: the URL opened, or the link's text if it is one
  bool opened = false;
  std::string how;  // why it counts as opened or blocked
  std::optional<Rect> link_box;
  std::optional<detectors::Observation> blocking_page;
  SavedFrame before, after;
  cv::Mat before_image;
  ScreenCapture after_capture;
};

bool looks_like_url(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

// Taps the link (or opens the URL) and watches where it goes.
LinkOutcome follow(ProbeContext& ctx, const std::optional<Selector>& selector,
                   const std::optional<std::string>& url, const std::string& label) {
  LinkOutcome out;
  ScreenCapture before = ctx.screen.settle(ctx.settle, ctx.deadline).capture;
  std::optional<ElementMatch> match;
  if (selector) {
    out.what = selector->describe();
    while (!(match = ctx.resolver.find(*selector, before.frame))) {
      if (ctx.deadline.left() < milliseconds(300)) {
        ctx.recorder.save(before, label + "-not-found");
        throw StepFailure{fmt::format("link {} not found on screen", out.what)};
      }
      std::this_thread::sleep_for(milliseconds(250));
      before = ctx.screen.capture(ctx.deadline);
    }
    out.link_box = match->bounds;
    if (looks_like_url(match->text)) out.url = match->text;
  } else {
    out.what = *url;
    out.url = *url;
  }
  out.before = ctx.recorder.save(before, label + "-before");
  out.before_image = before.frame.image;

  NavigationWatch watch(ctx.device, ctx.logcat, before, ctx.deadline);
  if (match) {
    ctx.device.tap(match->center().x, match->center().y, ctx.deadline);
  } else {
    ctx.device.open_url(*url, ctx.deadline);
  }
  out.after_capture = ctx.screen.settle(ctx.settle, ctx.deadline).capture;
  const Navigation nav = watch.result(out.after_capture, ctx.deadline);
  const detectors::FrameReport report = ctx.rules.check(out.after_capture.frame);
  out.after = ctx.recorder.save(out.after_capture, label + "-after", report);
  if (out.url.empty()) {
    for (const auto& s : nav.starts) {
      if (s.action == "android.intent.action.VIEW" && !s.data.empty()) out.url = s.data;
    }
  }

  if (auto pages = report.all("link_blocking"); !pages.empty()) {
    out.blocking_page = *pages.front();
    out.how = fmt::format("the app shows \"{}\" instead of the page", pages.front()->detail);
  } else if (!out.url.empty() && nav.viewed(out.url)) {
    out.opened = true;
    out.how = fmt::format("VIEW intent for {}", url_host(out.url));
  } else if (nav.package_after != nav.package_before && !nav.package_after.empty()) {
    out.opened = true;
    out.how = fmt::format("{} resumed", nav.activity_after);
  } else if (nav.navigated) {
    out.opened = true;
    out.how = nav.reason;
  } else {
    out.how = "nothing opened: no VIEW intent, no other activity";
  }
  ctx.record["probe_log"].push_back({{label,
                                      {{"link", out.what},
                                       {"url", out.url},
                                       {"opened", out.opened},
                                       {"how", out.how},
                                       {"frames", {out.before.frame, out.after.frame}}}}});
  return out;
}

// The page's own close control (× / 关闭 / Close), as the detectors find one on a whole screen.
std::optional<Rect> page_close(ProbeContext& ctx, const detectors::Frame& frame) {
  const auto texts = frame.tree ? detectors::tree_text(*frame.tree, frame.bounds())
                                : std::vector<detectors::TextItem>{};
  for (const auto& c :
       detectors::CloseControlFinder(ctx.profile).find(frame, frame.bounds(), texts))
    if (!c.decline) return c.box;
  return std::nullopt;
}

// Back to the page the first link was on, so the control link can be tapped there too: BACK
// from another activity (the browser), the page's own close control when the app swapped the
// page in place (an interstitial inside the chat activity).
void return_to(ProbeContext& ctx, const std::string& activity, const Selector* control) {
  for (int i = 0; i < 4; ++i) {
    const ScreenCapture now = ctx.screen.settle(ctx.settle, ctx.deadline).capture;
    const bool same_activity = now.activity() == activity;
    if (same_activity && (!control || ctx.resolver.find(*control, now.frame))) return;
    if (i == 3) {
      ctx.recorder.save(now, "link-page-lost");
      break;
    }
    const auto close = same_activity ? page_close(ctx, now.frame) : std::nullopt;
    if (close) {
      ctx.device.tap(close->center_x(), close->center_y(), ctx.deadline);
    } else {
      ctx.device.key_event("KEYCODE_BACK", ctx.deadline);
    }
  }
  throw StepFailure{"could not get back to the page of the first link to try the control link"};
}

void report_blocked(ProbeContext& ctx, const LinkOutcome& link) {
  auto f = ctx.profile.make_finding(
      "LNK-01", fmt::format("the link {} was blocked: {}", link.url.empty() ? link.what : link.url,
                            link.how));
  if (link.blocking_page) f.boxes = {link.blocking_page->box};
  ctx.prove(std::move(f), link.after.frame, link.after_capture.frame.image);
}

}  // namespace

void run_link_probe(const ProbeSpec& spec, ProbeContext& ctx) {
  if (!spec.link && !spec.url) throw StepFailure{"the link probe needs `tap:` or `url:`"};
  const std::string activity = ctx.screen.capture(ctx.deadline).activity();
  const LinkOutcome link = follow(ctx, spec.link, spec.url, "link");
  if (!link.opened) report_blocked(ctx, link);
  if (!spec.control_link && !spec.control_url) return;

  return_to(ctx, activity, spec.control_link ? &*spec.control_link : nullptr);
  const LinkOutcome control = follow(ctx, spec.control_link, spec.control_url, "control-link");
  if (!control.opened) report_blocked(ctx, control);
  if (link.opened == control.opened) return;

  const LinkOutcome& blocked = link.opened ? control : link;
  const LinkOutcome& opened = link.opened ? link : control;
  auto f = ctx.profile.make_finding(
      "LNK-02",
      fmt::format("links of the same kind end differently: {} opened ({}), {} was blocked ({})",
                  opened.url.empty() ? opened.what : url_host(opened.url), opened.how,
                  blocked.url.empty() ? blocked.what : url_host(blocked.url), blocked.how));
  if (blocked.link_box) f.boxes = {*blocked.link_box};
  ctx.prove(std::move(f), blocked.before.frame, blocked.before_image);
}

}  // namespace uiw::harness
