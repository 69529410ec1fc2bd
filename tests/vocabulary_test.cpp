// Matching screen text (tree or OCR) against the rule profile's term lists.
#include "detectors/vocabulary.h"

#include <gtest/gtest.h>

namespace uiw::detectors {
namespace {

TEST(VocabularyTest, NormalisesWidthCaseSpacesAndPunctuation) {
  EXPECT_EQ(normalize_text("ＳＫＩＰ"), "skip");
  EXPECT_EQ(normalize_text("跳 过"), "跳过");
  EXPECT_EQ(normalize_text("No, thanks!"), "nothanks");
  EXPECT_EQ(normalize_text("不了，谢谢。"), "不了谢谢");
  EXPECT_EQ(normalize_text("5s | 跳过"), "5s|跳过");
  EXPECT_EQ(normalize_text("ok\xFF\xC3"), "ok") << "invalid UTF-8 bytes are dropped";
  EXPECT_EQ(code_points("跳过5"), 3u);
}

TEST(VocabularyTest, FindsTermsInsideLongerText) {
  const Vocabulary v({"个性化推荐", "Personalized ads", "ad"});
  EXPECT_EQ(v.find_in("开启个性化推荐设置"), "个性化推荐");
  EXPECT_EQ(v.find_in("Show personalized  ads"), "Personalized ads");
  EXPECT_FALSE(v.find_in("Download now")) << "a short ASCII term matches whole words only";
  EXPECT_EQ(v.find_in("Ad · 0:05"), "ad");
  EXPECT_FALSE(v.find_in(""));
  const Vocabulary decline({"don't", "no thanks"});
  EXPECT_EQ(decline.find_in("Don’t allow"), "don't")
      << "typographic apostrophe, as Android writes it";
  EXPECT_EQ(decline.find_in("Ｎｏ thanks"), "no thanks") << "full-width letters";
}

TEST(VocabularyTest, LabelsMatchWholeAndOcrConfusionsOnlyWhenAsked) {
  const Vocabulary close({"关闭", "跳过", "Skip"});
  EXPECT_EQ(close.match_label(" skip "), "Skip");
  EXPECT_FALSE(close.match_label("Skip intro video"));
  EXPECT_FALSE(close.match_label("天闭"));
  EXPECT_EQ(close.match_label("天闭", true), "关闭") << "chi_sim reads 关 as 天";
  EXPECT_FALSE(close.match_label("Skap", true)) << "Latin words are not guessed";
  EXPECT_FALSE(close.match_label("关", true)) << "one character is too little to guess from";
}

}  // namespace
}  // namespace uiw::detectors
