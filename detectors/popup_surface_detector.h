#pragma once
// Finds pop-ups, interstitials and nag surfaces in pixels alone: a card over a dimmed backdrop
// (ModalDetector), a full-screen ad or upsell page, a bottom sheet, an inline "rate us" banner,
// a dialog without a dimmed backdrop. ModalDetector alone misses most real nag screens (measured
// 9 of 29 on the AidUI dev set): they are full-screen pages whose only tells are a close glyph
// at a screen corner, an ad badge and one dominant call-to-action button. The cues are read in
// pixels and, when an OcrService is given, with region OCR of the few button-like regions only
// (full-frame OCR costs seconds).
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "detectors/rect.h"
#include "detectors/screen_text.h"
#include "detectors/vocabulary.h"

namespace uiw::detectors {

class OcrService;

struct PopupSurface {
  enum class Kind { kDimmedCard, kFullScreen, kBottomSheet, kBanner, kDialog };
  Kind kind = Kind::kDialog;
  Rect box;                       // frame px
  double confidence = 0;          // 0 … 1
  std::vector<std::string> cues;  // why, e.g. "dimmed backdrop", "text: Go Premium"
};

// "dimmed-card", "full-screen", "bottom-sheet", "banner", "dialog".
const char* to_string(PopupSurface::Kind kind);

// A landscape frame that is a screen recording of a portrait phone (the phone's image in the
// middle of a dark desktop): the phone's screen in frame px. Otherwise the whole frame.
Rect phone_screen(const cv::Mat& bgr);

// How a frame is read (one surface at most is reported, the first that holds):
//  1. A card: ModalDetector's card over a dimmed backdrop, else a bright bottom sheet over a
//     dimmed app, else the largest flat card that stands out from undimmed content. Its title
//     (upper 40 %), its two most prominent buttons and, for a dimmed card or sheet, its body are
//     read. A card is a nag when its words ask (call to action, ad badge, ask words), so a plain
//     "Select location" dialog is not reported; without OCR a dimmed card or sheet is reported
//     on its pixels alone.
//  2. Otherwise the most prominent button-like regions (flat filled rectangles) are read: a
//     call to action, an ad badge or skip control in a screen corner, a decline and a close
//     glyph in a top corner of the screen add up to a full-screen interstitial; a call to action
//     or decline inside a full-width band whose text asks makes an inline banner.
// Landscape frames that are screen recordings of a portrait phone are cropped to the phone.
class PopupSurfaceDetector {
 public:
  // `ocr` may be null: pixel cues only (recall on full-screen ads drops, since their tell is
  // mostly the words on the buttons).
  PopupSurfaceDetector(int density_dpi, OcrService* ocr);

  // Surfaces below this confidence are not reported. Confidence adds up the cues: with OCR a
  // dimmed card or sheet starts at 0.35 and needs an ask (+0.35); a full-screen page needs
  // e.g. a call to action (0.55) or an ad badge (0.3) plus a close glyph or skip in a corner.
  double min_confidence = 0.5;
  // At most this many regions are read with OCR per frame (each costs 20–120 ms).
  int max_ocr_regions = 4;
  // A button-like region is a flat, filled rectangle whose height lies in this range (dp) and
  // whose width is at least `min_button_width` of the screen width.
  double min_button_dp = 24;
  double max_button_dp = 88;
  double min_button_width = 0.12;

  // Vocabularies (English + Chinese defaults; the rule profile may replace them), matched
  // case-insensitively in OCR text: Latin entries as whole words (plurals are listed apart),
  // Chinese ones anywhere, white space ignored.
  //
  // Calls to action that a nag surface is built around.
  Vocabulary cta_words{{"install",   "download", "upgrade",    "go premium",  "get premium",
                        "subscribe", "try free", "free trial", "try it free", "rate",
                        "5 stars",   "5 star",   "unlock",     "sign me up",  "claim",
                        "redeem",    "shop now", "play now",   "get it",      "start now",
                        "立即下载",  "立即安装", "立即开通",   "开通会员",    "领取",
                        "立即领取",  "去评分",   "去好评",     "立即体验",    "免费试用",
                        "立即升级",  "马上抢",   "立即购买",   "立即抢",      "去看看",
                        "立即订阅",  "立即充值", "去领取",     "马上领",      "立即参与"}};
  // Close / skip controls written as words.
  Vocabulary close_words{{"skip", "skip ad", "close", "跳过", "跳過", "关闭"}};
  // Declines that only make sense on something that asked first.
  Vocabulary decline_words{{"no thanks", "no, thanks", "not now", "maybe later", "later",
                            "remind me later", "不了", "暂不", "以后再说", "再想想", "残忍拒绝",
                            "不再提醒", "下次再说"}};
  // Advertising badges and ad-SDK furniture.
  Vocabulary ad_words{{"ad", "ads", "sponsored", "advertisement", "google play", "adchoices",
                       "visit advertiser", "广告", "赞助", "推广", "摇一摇", "点击跳转", "点击前往",
                       "第三方应用", "shake to"}};
  // Words of the ask itself (titles of rate/upsell prompts).
  Vocabulary ask_words{{"rate",    "rating",     "stars",       "5 star",        "review",
                        "comment", "feedback",   "do you like", "do you love",   "enjoy",
                        "premium", "vip",        "pro version", "ad-free",       "subscribe",
                        "upgrade", "free trial", "sponsored",   "gift",          "coupon",
                        "reward",  "bonus",      "discount",    "special offer", "评分",
                        "好评",    "五星",       "会员",        "开通",          "升级",
                        "红包",    "优惠券",     "福利",        "领取",          "优惠",
                        "特惠",    "限时",       "充值",        "新人",          "即送",
                        "手游",    "公测",       "免费",        "reviews",       "comments",
                        "gifts",   "coupons",    "rewards",     "5 stars",       "ratings"}};

  // Best first, empty when none. `image`: 8-bit BGR, BGRA or grey. `read`: when given, gets
  // every region read with OCR (words in frame px), so that callers need not read it again.
  std::vector<PopupSurface> detect(const cv::Mat& image,
                                   std::vector<ReadRegion>* read = nullptr) const;

 private:
  int density_dpi_;
  OcrService* ocr_;
};

}  // namespace uiw::detectors
