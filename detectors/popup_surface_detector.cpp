#include "detectors/popup_surface_detector.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "detectors/close_glyph_detector.h"
#include "detectors/connected_regions.h"
#include "detectors/frame.h"
#include "detectors/modal_detector.h"
#include "detectors/ocr_service.h"
#include "detectors/text_line_finder.h"

namespace uiw::detectors {
namespace {

// Working width for the layout pass: buttons (≥ 24 dp ≈ 20 px here) and cards survive it, and
// the pass stays a few ms.
constexpr int kWorkWidth = 360;
// Regions wider than this are downscaled before OCR (see read_words).
constexpr int kMaxOcrWidth = 600;

// A flat region of the downscaled screen: a button's fill, a card's surface, a page background.
struct Region {
  cv::Rect box;  // work-image px
  double fill = 0;
  cv::Scalar colour;
  double contrast = 0;  // colour distance to the ring just outside the box
  double saturation = 0;
};

double colour_distance(const cv::Scalar& a, const cv::Scalar& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

cv::Scalar ring_colour(const cv::Mat& small, const cv::Rect& box, int gap) {
  const cv::Rect outer = cv::Rect(box.x - gap - 2, box.y - gap - 2, box.width + 2 * gap + 4,
                                  box.height + 2 * gap + 4) &
                         cv::Rect(0, 0, small.cols, small.rows);
  cv::Mat mask = cv::Mat::zeros(small.size(), CV_8U);
  mask(outer).setTo(255);
  const cv::Rect inner =
      cv::Rect(box.x - gap, box.y - gap, box.width + 2 * gap, box.height + 2 * gap) &
      cv::Rect(0, 0, small.cols, small.rows);
  mask(inner).setTo(0);
  if (cv::countNonZero(mask) == 0) return cv::Scalar(-1000, -1000, -1000);
  return cv::mean(small, mask);
}

double saturation_of(const cv::Scalar& c) {
  const double mx = std::max({c[0], c[1], c[2]}), mn = std::min({c[0], c[1], c[2]});
  return mx <= 0 ? 0 : (mx - mn) / mx;
}

}  // namespace

Rect phone_screen(const cv::Mat& bgr) {
  const Rect whole{0, 0, bgr.cols, bgr.rows};
  if (bgr.cols <= bgr.rows) return whole;
  cv::Mat grey, cols;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::reduce(grey, cols, 0, cv::REDUCE_AVG, CV_32F);
  // Longest run of columns that are not near-black.
  int best_l = 0, best_r = 0;
  for (int x = 0; x < cols.cols;) {
    if (cols.at<float>(0, x) < 12) {
      ++x;
      continue;
    }
    int e = x;
    while (e < cols.cols && cols.at<float>(0, e) >= 12) ++e;
    if (e - x > best_r - best_l) {
      best_l = x;
      best_r = e;
    }
    x = e;
  }
  const int w = best_r - best_l;
  if (w < bgr.rows * 0.3 || w > bgr.rows * 0.8) return whole;
  cv::Mat rows;
  cv::reduce(grey(cv::Rect(best_l, 0, w, bgr.rows)), rows, 1, cv::REDUCE_AVG, CV_32F);
  int top = 0, bottom = bgr.rows;
  while (top < bottom && rows.at<float>(top, 0) < 12) ++top;
  while (bottom > top && rows.at<float>(bottom - 1, 0) < 12) --bottom;
  if (bottom - top < bgr.rows / 2) return whole;
  return Rect{best_l, top, best_r, bottom};
}

namespace {

// A bottom sheet over a dimmed app: a bright surface spanning the width from some row down to
// the bottom, with everything above it (status bar apart) clearly darker. `v`: HSV V of the
// working image. The sheet's top row, or -1. ModalDetector misses sheets: they touch the sides.
int find_bottom_sheet(const cv::Mat& v, int status_bar) {
  const int w = v.cols, h = v.rows;
  // Per row: the median brightness (the surface a row mostly shows) and the 98th percentile
  // (its brightest content).
  std::vector<int> surface(h, 255), peak(h, 255);
  for (int y = 0; y < h; ++y) {
    int hist[256] = {0};
    const uchar* r = v.ptr<uchar>(y);
    for (int x = 0; x < w; ++x) ++hist[r[x]];
    int acc = 0;
    bool got_median = false;
    for (int k = 0; k < 256; ++k) {
      acc += hist[k];
      if (!got_median && acc >= 0.5 * w) {
        surface[y] = k;
        got_median = true;
      }
      if (acc >= 0.98 * w) {
        peak[y] = k;
        break;
      }
    }
  }
  // The sheet's top edge: a step from dim rows up to a bright surface that lasts, from 30 % to
  // 85 % of the screen's height (higher is a full page, lower a toast or a navigation bar).
  for (int top = static_cast<int>(0.3 * h); top < static_cast<int>(0.85 * h); ++top) {
    if (surface[top] < 200 || surface[top - 1] >= surface[top] - 60) continue;
    int bright = 0;
    for (int y = top; y < h; ++y) bright += surface[y] >= 200;
    if (bright < 0.1 * h || bright < 0.5 * (h - top)) continue;
    // Above it the app is dimmed: nothing there is nearly as bright as the sheet.
    int above = 0;
    for (int y = status_bar; y < top; ++y) above = std::max(above, peak[y]);
    if (above > surface[top] - 50) continue;
    return top;
  }
  return -1;
}

}  // namespace

const char* to_string(PopupSurface::Kind kind) {
  switch (kind) {
    case PopupSurface::Kind::kDimmedCard:
      return "dimmed-card";
    case PopupSurface::Kind::kFullScreen:
      return "full-screen";
    case PopupSurface::Kind::kBottomSheet:
      return "bottom-sheet";
    case PopupSurface::Kind::kBanner:
      return "banner";
    case PopupSurface::Kind::kDialog:
      return "dialog";
  }
  return "?";
}

PopupSurfaceDetector::PopupSurfaceDetector(int density_dpi, OcrService* ocr)
    : density_dpi_(density_dpi), ocr_(ocr) {}

std::vector<PopupSurface> PopupSurfaceDetector::detect(const cv::Mat& image,
                                                       std::vector<ReadRegion>* read) const {
  std::vector<PopupSurface> out;
  const cv::Mat bgr = as_bgr(image);
  if (bgr.empty() || bgr.cols < 32 || bgr.rows < 32) return out;
  const Rect screen = phone_screen(bgr);
  const cv::Mat view = bgr(to_cv(screen));
  const int short_side = std::min(view.cols, view.rows);
  // Phones are 320–480 dp wide: a density that contradicts the screenshot's width (a caller's
  // default on a downscaled capture) is pulled into that range.
  const int dpi = std::clamp(density_dpi_, short_side * 160 / 480, short_side * 160 / 320);
  auto to_screen = [&](const Rect& r) {
    return Rect{r.left + screen.left, r.top + screen.top, r.right + screen.left,
                r.bottom + screen.top};
  };

  const double scale = static_cast<double>(view.cols) / kWorkWidth;
  cv::Mat small;
  cv::resize(view, small, cv::Size(kWorkWidth, std::max(1, static_cast<int>(view.rows / scale))), 0,
             0, cv::INTER_AREA);
  const int W = small.cols, H = small.rows;
  auto dp = [&](double work_px) { return px_to_dp(work_px * scale, dpi); };
  auto to_frame = [&](const cv::Rect& r) {
    return to_screen(Rect{static_cast<int>(r.x * scale), static_cast<int>(r.y * scale),
                          static_cast<int>(std::ceil((r.x + r.width) * scale)),
                          static_cast<int>(std::ceil((r.y + r.height) * scale))}
                         .intersect(Rect{0, 0, view.cols, view.rows}));
  };
  const int status_bar = static_cast<int>(dp_to_px(24, dpi) / scale);

  // Flat regions: pixels whose 3×3 neighbourhood barely changes in any channel.
  cv::Mat grad;
  {
    cv::Mat g;
    cv::morphologyEx(small, g, cv::MORPH_GRADIENT, cv::Mat());
    std::vector<cv::Mat> ch;
    cv::split(g, ch);
    cv::max(ch[0], ch[1], grad);
    cv::max(grad, ch[2], grad);
  }
  cv::Mat flat = grad <= 14;
  cv::Mat labels, stats;
  const int n = connected_regions(flat, 4, labels, stats);

  std::vector<Region> buttons, cards, bands;
  for (int i = 1; i < n; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (box.width < 8 || box.height < 6 || box.y <= status_bar) continue;
    const double fill = static_cast<double>(area) / box.area();
    const double h_dp = dp(box.height + 2);
    const bool full_width = box.x <= 2 && box.x + box.width >= W - 2;
    // Full-width strips at the top and bottom are toolbars and the navigation bar.
    const bool bar = full_width && (box.y < 0.15 * H || box.y + box.height > 0.92 * H);
    // Full-width rows are list items or bands, not buttons (a band's own buttons are inset).
    const bool button_like = !full_width && h_dp >= min_button_dp && h_dp <= max_button_dp &&
                             box.width >= min_button_width * W && box.width >= 1.6 * box.height &&
                             fill >= 0.4 && fill <= 0.985;
    const double frac = static_cast<double>(box.area()) / (W * H);
    const bool card_like = frac >= 0.06 && frac <= 0.7 && fill >= 0.4 && box.x >= 0.03 * W &&
                           box.x + box.width <= 0.97 * W && box.height >= 0.15 * H;
    const bool band_like =
        full_width && !bar && box.height >= 0.05 * H && box.height <= 0.3 * H && fill >= 0.5;
    if (!button_like && !card_like && !band_like) continue;
    Region r;
    r.box = box;
    r.fill = fill;
    r.colour = cv::mean(small(box), labels(box) == i);
    r.contrast = colour_distance(r.colour, ring_colour(small, box, 2));
    r.saturation = saturation_of(r.colour);
    if (button_like) buttons.push_back(r);
    // A card stands out from what is around it (a shadow or a different surface).
    if (card_like && r.contrast >= 25) cards.push_back(r);
    if (band_like) bands.push_back(r);
  }
  // The eye goes to big, contrasting, saturated buttons first: read those.
  auto prominence = [](const Region& r) {
    return r.box.area() * (r.contrast + 10) * (1 + r.saturation);
  };
  std::sort(buttons.begin(), buttons.end(),
            [&](const Region& a, const Region& b) { return prominence(a) > prominence(b); });
  std::sort(cards.begin(), cards.end(),
            [](const Region& a, const Region& b) { return a.box.area() > b.box.area(); });

  // What the words say, per region read.
  struct Words {
    bool cta = false, decline = false, ad = false, ask = false, close = false;
    std::vector<std::string> cues;
    bool any_ask() const { return cta || ad || ask; }
  };
  int reads_left = ocr_ ? max_ocr_regions : 0;
  auto read_words = [&](const Rect& roi, Words& w) {
    if (reads_left <= 0 || roi.empty()) return;
    --reads_left;
    // Regions wider than kMaxOcrWidth (a card, a band) are read downscaled: their text stays
    // legible and Tesseract's cost grows with the pixel count. chi_sim alone (it reads Latin
    // too), no eng retry, which would double the cost; a frame read as Latin so far goes to eng
    // first (OcrLanguages).
    OcrOptions options;
    options.languages = OcrLanguages::kChinese;
    const Rect clipped = roi.intersect(Rect{0, 0, bgr.cols, bgr.rows});
    if (clipped.empty()) return;
    std::string text;
    if (clipped.width() > kMaxOcrWidth) {
      cv::Mat part;
      const double f = static_cast<double>(kMaxOcrWidth) / clipped.width();
      cv::resize(bgr(to_cv(clipped)), part, cv::Size(), f, f, cv::INTER_AREA);
      OcrReading reading = ocr_->read(part, Rect{0, 0, part.cols, part.rows}, options);
      text = reading.text;
      // Its words, back in frame px, can stand in for a later read of the same lines.
      if (read) {
        for (OcrWord& word : reading.words)
          word.box = Rect{clipped.left + static_cast<int>(word.box.left / f),
                          clipped.top + static_cast<int>(word.box.top / f),
                          clipped.left + static_cast<int>(std::ceil(word.box.right / f)),
                          clipped.top + static_cast<int>(std::ceil(word.box.bottom / f))};
        read->push_back({clipped, std::move(reading.words)});
      }
    } else {
      text = ocr_->read(bgr, clipped, options, read).text;
    }
    auto hit = [&](const Vocabulary& vocab, bool& flag, const char* what) {
      const std::string found = vocab.find_in(text).value_or("");
      if (found.empty() || flag) return;
      flag = true;
      w.cues.push_back(std::string(what) + ": " + found);
    };
    hit(cta_words, w.cta, "call to action");
    hit(ad_words, w.ad, "ad badge");
    hit(ask_words, w.ask, "text");
    hit(decline_words, w.decline, "decline");
    hit(close_words, w.close, "close word");
  };
  auto inside = [](const cv::Rect& inner, const cv::Rect& outer) {
    return (inner & outer).area() >= 0.8 * inner.area();
  };

  const CloseGlyphDetector glyphs(dpi);
  auto finish = [&](PopupSurface s) {
    s.confidence = std::clamp(s.confidence, 0.0, 0.99);
    if (s.confidence >= min_confidence) out.push_back(std::move(s));
  };

  // 1. A card over a dimmed backdrop, or a card standing out from undimmed content. Either is a
  // pop-up in pixels; it is a nag when its words ask for something (rate, install, upgrade…) or
  // carry an ad badge, a bare question ("Select location") is not.
  const ModalDetector modal;
  const auto dimmed = modal.detect(view);
  std::optional<cv::Rect> card_box;
  int sheet_top = -1;
  if (!dimmed) {
    std::vector<cv::Mat> ch;
    cv::split(small, ch);
    cv::Mat v;
    cv::max(ch[0], ch[1], v);
    cv::max(v, ch[2], v);
    sheet_top = find_bottom_sheet(v, status_bar);
  }
  if (dimmed) {
    const Rect c = dimmed->card;
    card_box = cv::Rect(static_cast<int>(c.left / scale), static_cast<int>(c.top / scale),
                        static_cast<int>(c.width() / scale), static_cast<int>(c.height() / scale));
  } else if (sheet_top >= 0) {
    card_box = cv::Rect(0, sheet_top, W, H - sheet_top);
  } else if (!cards.empty()) {
    card_box = cards.front().box;
  }
  if (card_box) {
    const Rect frame_box = to_frame(*card_box);
    const bool glyph = !glyphs.detect_near_card(bgr, frame_box).empty();
    PopupSurface s;
    s.box = frame_box;
    if (dimmed) {
      s.kind = PopupSurface::Kind::kDimmedCard;
      s.cues.push_back("dimmed backdrop");
      // Without OCR the backdrop is all there is to go by.
      s.confidence = ocr_ ? 0.35 : dimmed->confidence;
    } else if (sheet_top >= 0) {
      s.kind = PopupSurface::Kind::kBottomSheet;
      s.cues.push_back("bottom sheet over dimmed app");
      s.confidence = ocr_ ? 0.35 : 0.6;
    } else {
      s.kind = PopupSurface::Kind::kDialog;
      s.cues.push_back("card over content");
      s.confidence = ocr_ ? 0.15 : 0;
    }
    if (glyph) s.cues.push_back("close glyph at card");
    Words w;
    auto confidence = [&] {
      return s.confidence + (w.any_ask() ? 0.35 : 0) + (w.decline || w.close ? 0.1 : 0) +
             (glyph ? 0.1 : 0) + (w.cta && (w.ask || w.ad) ? 0.1 : 0);
    };
    // Reading a whole card costs seconds when it holds a paragraph: read its two most prominent
    // buttons, then, unless they already make it a pop-up to report (more words only add to the
    // confidence), its upper part (title and first lines: "Do you like …?", "Rate us").
    const cv::Rect top(card_box->x, card_box->y, card_box->width,
                       std::max(1, static_cast<int>(card_box->height * 0.4)));
    int card_buttons = 0;
    for (const auto& b : buttons) {
      if (card_buttons >= 2 || !inside(b.box, *card_box) || inside(b.box, top)) continue;
      ++card_buttons;
      read_words(to_frame(b.box + cv::Size(2, 2) - cv::Point(1, 1)), w);
    }
    if (confidence() < min_confidence) read_words(to_frame(top), w);
    // No ask in the title or buttons: the body (below the title, above the buttons) may hold
    // it, e.g. "Time for a short sponsored session" under a picture. Only for a card that is
    // surely a pop-up: the reads are better spent on the page's buttons otherwise.
    if (confidence() < min_confidence && (dimmed || sheet_top >= 0) && !w.any_ask()) {
      const cv::Rect body(card_box->x, top.y + top.height, card_box->width,
                          std::max(1, static_cast<int>(card_box->height * 0.3)));
      read_words(to_frame(body), w);
    }
    s.confidence = confidence();
    for (const auto& c : w.cues) s.cues.push_back(c);
    finish(std::move(s));
    if (!out.empty()) return out;
  }

  // A button's flat fill may end inside its label: a translucent box over a video or photo ("Skip
  // Ad" on a video ad) is flat only where the picture behind it is. A text line crossing a side
  // of the fill is the button's label running on: the read takes the whole line.
  const TextLineFinder label_lines(dpi);
  auto label_box = [&](const Rect& fill) {
    const int margin = fill.height() / 2;
    const Rect window = Rect{fill.left - fill.height(), fill.top - margin,
                             fill.right + fill.height(), fill.bottom + margin}
                            .intersect(screen);
    Rect box = fill;
    for (const Rect& line : label_lines.find(bgr, window)) {
      const bool crosses = (line.left < fill.left && line.right > fill.left) ||
                           (line.left < fill.right && line.right > fill.right);
      // A label is a whole line on the button's row; ink cut by the window's top or bottom runs
      // on above and below, so it is the picture.
      const bool whole = line.top > window.top && line.bottom < window.bottom;
      if (crosses && whole && row_overlap(line, fill) >= 0.5)
        box = Rect{std::min(box.left, line.left), box.top, std::max(box.right, line.right),
                   box.bottom};
    }
    return box;
  };

  // 2. Buttons outside any card: a full-screen interstitial is built around one dominant call to
  // action; an inline banner holds its ask and buttons in a full-width band.
  Words w;
  bool ad_at_corner = false, close_at_corner = false, ad_cta = false;
  // The band holding a button that reads as a call to action or decline, else the one holding
  // any read button: the band's own text may carry the ask and the way out ("Rate us in Google
  // Play?" over a white "Sure" and an outlined "No thanks" the button search cannot see).
  std::optional<cv::Rect> band, other_band;
  for (const auto& b : buttons) {
    if (reads_left <= 0) break;
    if (card_box && inside(b.box, *card_box)) continue;
    Words bw;
    read_words(label_box(to_frame(b.box + cv::Size(2, 2) - cv::Point(1, 1))), bw);
    for (const auto& s : bands) {
      if (!inside(b.box, s.box)) continue;
      if ((bw.cta || bw.decline) && !band) band = s.box;
      if (!other_band) other_band = s.box;
    }
    // An ad badge in a screen corner is how splash ads and interstitials mark themselves
    // ("广告 5s", "Ad"); in a feed it sits on the ad's card instead.
    const bool corner_x = b.box.x + b.box.width < 0.4 * W || b.box.x > 0.6 * W;
    const bool corner_y = b.box.y < 0.15 * H || b.box.y + b.box.height > 0.85 * H;
    if (bw.ad && corner_x && corner_y && !ad_at_corner) {
      ad_at_corner = true;
      w.cues.push_back("ad badge at screen corner");
    }
    // So is a skip/close control at a top corner ("跳过 5", "Skip Ad").
    if (bw.close && corner_x && b.box.y < 0.15 * H && !close_at_corner) {
      close_at_corner = true;
      w.cues.push_back("skip/close at top corner");
    }
    // Full-screen ads centre their call to action or put it in a strip along the top or bottom
    // edge; one at a side of the page's middle is a list item's own action (a store row's or a
    // feed ad's "Install") and does not make the whole screen an ad.
    ad_cta |= bw.cta && !(corner_x && !corner_y);
    w.cta |= bw.cta;
    w.decline |= bw.decline;
    w.ad |= bw.ad;
    w.ask |= bw.ask;
    w.close |= bw.close;
    for (const auto& c : bw.cues) w.cues.push_back(c);
  }
  if (!band) band = other_band;
  if (band) {
    Words bw;
    read_words(to_frame(*band), bw);
    PopupSurface s;
    s.kind = PopupSurface::Kind::kBanner;
    s.box = to_frame(*band);
    s.cues = w.cues;
    for (const auto& c : bw.cues) s.cues.push_back(c);
    // A way out (a decline, or a close mark on the band) tells an ask from plain page content.
    s.confidence = (bw.any_ask() || w.cta ? 0.4 : 0) +
                   (w.decline || bw.decline || bw.close ? 0.2 : 0) + (w.cta ? 0.1 : 0);
    finish(std::move(s));
    if (!out.empty()) return out;
  }

  PopupSurface s;
  s.kind = PopupSurface::Kind::kFullScreen;
  s.box = to_screen(Rect{0, 0, view.cols, view.rows});
  s.cues = w.cues;
  double score = (ad_cta ? 0.55 : 0) + (w.ad ? 0.3 : 0) + (ad_at_corner ? 0.25 : 0) +
                 (close_at_corner ? 0.25 : 0) + (w.decline ? 0.2 : 0) + (w.close ? 0.25 : 0);
  if (score > 0) {
    const int corner = static_cast<int>(0.2 * view.cols);
    const int sb = static_cast<int>(dp_to_px(24, dpi));
    for (const Rect& region :
         {Rect{0, sb, corner, sb + corner}, Rect{view.cols - corner, sb, view.cols, sb + corner}}) {
      if (glyphs.detect_in(view, region).empty()) continue;
      score += 0.25;
      s.cues.push_back(region.left == 0 ? "close glyph top-left" : "close glyph top-right");
      break;
    }
  }
  s.confidence = score;
  finish(std::move(s));
  return out;
}

}  // namespace uiw::detectors
