#include "simdevice/synth/phrase_book.h"

#include <array>

namespace uiw::sim::synth {
namespace {

using P = PromptKind;

// --- Chinese ----------------------------------------------------------------------------------

constexpr std::array<OptionPhrase, 22> kZhSettings = {{
    {"消息推送", true, true},
    {"个性化推荐", true},
    {"允许获取位置", true, true},
    {"个性化广告", true},
    {"接收营销短信", true, true},
    {"共享使用数据", true, true},
    {"允许访问通讯录", true, true},
    {"订阅优惠信息", true, true},
    {"程序化广告推荐", true},
    {"自动登录", false, true},
    {"夜间模式", false},
    {"省流量模式", false},
    {"自动播放视频", false},
    {"云端备份", false, true},
    {"声音", false},
    {"振动", false},
    {"仅WLAN下下载", false},
    {"显示悬浮窗", false},
    {"免打扰", false},
    {"大字体", false},
    {"自动清理缓存", false},
    {"横屏播放", false},
}};

constexpr std::array<OptionPhrase, 8> kZhConsentChecks = {{
    {"我已阅读并同意《用户协议》和《隐私政策》", true},
    {"接收优惠活动短信通知", true},
    {"同意将数据用于个性化推荐", true},
    {"允许向合作伙伴共享信息", true},
    {"订阅每周精选推送", true},
    {"记住登录状态", false},
    {"下次自动登录", false},
    {"不再提示", false},
}};

constexpr std::array<std::string_view, 6> kZhPageTitles = {"设置", "隐私设置",   "通知设置",
                                                           "通用", "账号与安全", "偏好设置"};
constexpr std::array<std::string_view, 6> kZhSections = {"通用", "通知", "隐私",
                                                         "账号", "显示", "播放"};
constexpr std::array<std::string_view, 6> kZhSummaries = {
    "关闭后将不再收到提醒", "根据你的兴趣推荐内容", "用于推荐附近的服务",
    "仅在使用期间",         "节省移动数据",         "已开启"};

constexpr std::array<PromptPhrase, 12> kZhPrompts = {{
    {P::kConsent, "个人信息保护指引",
     "欢迎使用！我们将依据《隐私政策》收集和使用你的个人信息，用于提供服务和改进体验。", "同意",
     "不同意"},
    {P::kConsent, "温馨提示",
     "请你务必审慎阅读《用户协议》和《隐私政策》，点击同意即表示你已阅读并同意。", "同意并继续",
     "暂不同意"},
    {P::kPermission, "开启消息通知", "及时获取订单状态和优惠活动提醒", "去开启", "暂不"},
    {P::kPermission, "允许获取位置信息？", "用于为你推荐附近的门店和服务", "允许", "不允许"},
    {P::kPromotion, "发现新版本", "新版本修复了已知问题，提升了使用体验", "立即更新", "以后再说"},
    {P::kPromotion, "新人专享红包", "最高可领 88 元优惠券，仅限今日", "立即领取", "残忍拒绝"},
    {P::kPromotion, "打开App，体验更流畅", "在App内观看高清视频，更省流量", "打开", "取消"},
    {P::kRating, "喜欢我们的应用吗？", "给我们一个五星好评吧", "去评分", "残忍拒绝"},
    {P::kRating, "给个好评吧", "你的鼓励是我们前进的动力", "好的", "下次再说"},
    {P::kConfirmation, "确定删除这 3 张照片？", "删除后无法恢复", "删除", "取消"},
    {P::kConfirmation, "退出登录？", "退出后将无法接收新消息", "退出", "取消"},
    {P::kConfirmation, "清除缓存", "将清除 256 MB 缓存数据", "确定", "取消"},
}};

// Some with box-like characters (口 日 回 田 目 品), which pixel detectors take for checkboxes.
constexpr std::array<std::string_view, 16> kZhContentTitles = {"今日热点：城市马拉松周末开跑",
                                                               "日本进口 保湿面霜 50g",
                                                               "口碑好店 回头客最多",
                                                               "田园风格家居 品质之选",
                                                               "目前最受欢迎的日用品",
                                                               "出口转内销 品牌特卖",
                                                               "回复 @小明：已收到",
                                                               "新品上市 限时优惠",
                                                               "周末去哪儿玩",
                                                               "五分钟学会做红烧肉",
                                                               "本周热门歌单",
                                                               "手机摄影入门技巧",
                                                               "附近好店推荐",
                                                               "每日一读：关于时间",
                                                               "春季穿搭指南",
                                                               "数码产品年度盘点"};
constexpr std::array<std::string_view, 9> kZhSnippets = {
    "3.2万人在看", "2小时前",   "已售 1280 件",    "来自 生活频道", "评论 356",
    "刚刚更新",    "进口 包邮", "¥129 保税仓直发", "昨日 回复 12"};
constexpr std::array<std::string_view, 8> kZhTabs = {"首页", "发现",   "消息", "我的",
                                                     "视频", "购物车", "关注", "推荐"};
constexpr std::array<std::string_view, 6> kZhAdHeadlines = {
    "限时特惠 全场5折", "新用户首单立减20元", "夏日清凉节",
    "下载即送会员7天",  "爆款直降 手慢无",    "开学季 好物低至9.9"};
constexpr std::array<std::string_view, 5> kZhAdActions = {"立即领取", "立即下载", "去看看",
                                                          "马上抢", "立即参与"};
constexpr std::array<std::string_view, 3> kZhConsentTitles = {"欢迎使用", "注册账号",
                                                              "开启个性化体验"};
constexpr std::array<std::string_view, 3> kZhConsentBodies = {
    "为了向你提供更好的服务，请阅读并确认以下选项。", "完成以下设置，马上开始使用。",
    "你可以随时在设置中修改这些选项。"};
constexpr std::array<std::string_view, 4> kZhContinue = {"同意并继续", "下一步", "开始使用",
                                                         "注册"};
constexpr std::array<std::string_view, 8> kZhChoices = {"标准画质", "高清", "超清", "自动",
                                                        "跟随系统", "浅色", "深色", "仅WLAN"};

// --- English ----------------------------------------------------------------------------------

constexpr std::array<OptionPhrase, 22> kEnSettings = {{
    {"Notifications", true, true},
    {"Marketing emails", true, true},
    {"Location", true, true},
    {"Personalized ads", true},
    {"Personalized recommendations", true},
    {"Share usage data", true, true},
    {"Allow contact access", true, true},
    {"Offers and promotions", true, true},
    {"Push notifications", true, true},
    {"Auto sign-in", false, true},
    {"Back up to cloud", false, true},
    {"Dark mode", false},
    {"Data saver", false},
    {"Autoplay videos", false},
    {"Sounds", false},
    {"Vibrate on tap", false},
    {"Download over Wi-Fi only", false},
    {"Do not disturb", false},
    {"Large text", false},
    {"Show previews", false},
    {"Sync automatically", false},
    {"Captions", false},
}};

constexpr std::array<OptionPhrase, 8> kEnConsentChecks = {{
    {"I agree to the Terms of Service and Privacy Policy", true},
    {"Send me offers and product news", true},
    {"Share my data with partners", true},
    {"Use my activity to personalize ads", true},
    {"Subscribe to our newsletter", true},
    {"Remember me", false},
    {"Keep me signed in", false},
    {"Don't ask again", false},
}};

constexpr std::array<std::string_view, 6> kEnPageTitles = {"Settings", "Privacy", "Notifications",
                                                           "General",  "Account", "Preferences"};
constexpr std::array<std::string_view, 6> kEnSections = {"General", "Notifications", "Privacy",
                                                         "Account", "Display",       "Playback"};
constexpr std::array<std::string_view, 6> kEnSummaries = {
    "You won't get alerts when off", "Based on your interests", "Used to find places nearby",
    "While using the app",           "Use less mobile data",    "On"};

constexpr std::array<PromptPhrase, 13> kEnPrompts = {{
    {P::kConsent, "We value your privacy",
     "We and our partners use cookies to personalise content and ads and to analyse traffic.",
     "Accept all", "Manage options"},
    {P::kConsent, "Before you continue",
     "We use your data to improve our services and show you relevant ads.", "I agree", "No thanks"},
    {P::kPermission, "Turn on notifications?", "Get alerts for new messages and deals.", "Allow",
     "Not now"},
    {P::kPermission, "Allow location access?", "We use it to show stores near you.", "Allow",
     "Don't allow"},
    {P::kPromotion, "Update available", "A new version fixes bugs and improves performance.",
     "Update", "Later"},
    {P::kPromotion, "Install our new app", "Faster, lighter and with offline mode.", "Install",
     "Cancel"},
    {P::kPromotion, "Sign in for a better experience", "Sync your favourites across devices.",
     "Sign in", "Not now"},
    {P::kPromotion, "Go Premium", "Try 7 days free, cancel anytime.", "Start free trial",
     "No thanks"},
    {P::kRating, "Enjoying the app?", "Tap a star to rate it on the store.", "Rate now", "Not now"},
    {P::kRating, "Rate us", "Your feedback helps us improve.", "OK", "Maybe later"},
    {P::kConfirmation, "Delete 3 photos?", "This can't be undone.", "Delete", "Cancel"},
    {P::kConfirmation, "Sign out?", "You won't get new messages until you sign in again.",
     "Sign out", "Cancel"},
    {P::kConfirmation, "Discard draft?", "Your changes will be lost.", "Discard", "Keep editing"},
}};

constexpr std::array<std::string_view, 10> kEnContentTitles = {
    "Top stories",         "Weekend deals on headphones", "Five-minute pasta", "Trending playlists",
    "Photography basics",  "Best coffee nearby",          "Morning briefing",  "Spring style guide",
    "The year in gadgets", "Trails to hike this week"};
constexpr std::array<std::string_view, 6> kEnSnippets = {
    "32K views", "2 hours ago", "1,280 sold", "From Lifestyle", "356 comments", "Just updated"};
constexpr std::array<std::string_view, 8> kEnTabs = {"Home",  "Discover", "Inbox",     "Profile",
                                                     "Video", "Cart",     "Following", "For you"};
constexpr std::array<std::string_view, 6> kEnAdHeadlines = {
    "50% off everything today", "New users: $20 off", "Summer sale is on",
    "Get 7 days of Premium",    "Deals ending soon",  "Back to school savings"};
constexpr std::array<std::string_view, 5> kEnAdActions = {"Claim now", "Install", "Shop now",
                                                          "Learn more", "Get offer"};
constexpr std::array<std::string_view, 3> kEnConsentTitles = {"Welcome", "Create your account",
                                                              "Personalize your experience"};
constexpr std::array<std::string_view, 3> kEnConsentBodies = {
    "Please review the options below before you continue.", "Just a few choices and you're in.",
    "You can change these at any time in Settings."};
constexpr std::array<std::string_view, 4> kEnContinue = {"Agree and continue", "Next",
                                                         "Get started", "Sign up"};
constexpr std::array<std::string_view, 8> kEnChoices = {
    "Standard", "High", "Very high", "Auto", "System default", "Light", "Dark", "Wi-Fi only"};

constexpr std::array<std::string_view, 6> kZhActions = {"分享", "复制链接",   "不感兴趣",
                                                        "举报", "保存到相册", "稍后再看"};
constexpr std::array<std::string_view, 6> kEnActions = {
    "Share", "Copy link", "Not interested", "Report", "Save to photos", "Watch later"};

constexpr PhraseBook kChinese{kZhSettings,      kZhConsentChecks, kZhPageTitles,
                              kZhSections,      kZhSummaries,     kZhPrompts,
                              kZhContentTitles, kZhSnippets,      kZhTabs,
                              kZhAdHeadlines,   kZhAdActions,     kZhConsentTitles,
                              kZhConsentBodies, kZhContinue,      kZhChoices,
                              kZhActions,       "跳过",           "更多"};

constexpr PhraseBook kEnglish{kEnSettings,      kEnConsentChecks, kEnPageTitles,
                              kEnSections,      kEnSummaries,     kEnPrompts,
                              kEnContentTitles, kEnSnippets,      kEnTabs,
                              kEnAdHeadlines,   kEnAdActions,     kEnConsentTitles,
                              kEnConsentBodies, kEnContinue,      kEnChoices,
                              kEnActions,       "Skip",           "More"};

}  // namespace

const PhraseBook& PhraseBook::of(Language language) {
  return language == Language::kChinese ? kChinese : kEnglish;
}

}  // namespace uiw::sim::synth
