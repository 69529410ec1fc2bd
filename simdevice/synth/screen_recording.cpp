#include "simdevice/synth/screen_recording.h"

#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <string_view>

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

const std::array<cv::Size, 4> kCanvases = {cv::Size(1920, 1080), cv::Size(1280, 720),
                                           cv::Size(2560, 1440), cv::Size(1366, 768)};
constexpr std::array<double, 4> kCanvasWeights = {0.5, 0.3, 0.1, 0.1};

constexpr std::array<Color, 6> kSurrounds = {
    Color{0x2B, 0x2B, 0x2B, 255}, Color{0x1E, 0x1E, 0x1E, 255}, Color{0x3C, 0x3F, 0x41, 255},
    Color{0x80, 0x80, 0x80, 255}, Color{0xD0, 0xD0, 0xD0, 255}, Color{0xF0, 0xF0, 0xF0, 255}};

constexpr std::array<std::string_view, 4> kTitles = {
    "scrcpy", "Android Emulator - Pixel_7_API_34:5554", "屏幕录制 - 手机投屏", "Screen Mirroring"};

void map_node(detectors::UiNode& node, const ScreenRecording& recording) {
  node.bounds = recording.map(node.bounds);
  for (detectors::UiNode& child : node.children) map_node(child, recording);
}

}  // namespace

ScreenRecording ScreenRecording::draw(RandomSource& random, cv::Size phone) {
  ScreenRecording r;
  r.canvas_ = kCanvases[random.weighted(kCanvasWeights)];
  r.surround_ = random.pick(std::span(kSurrounds));
  if (random.chance(0.5)) {
    r.title_bar_height_ =
        static_cast<int>(std::lround(r.canvas_.height * random.uniform(0.026, 0.034)));
    const bool dark_bar = random.chance(0.5);
    r.title_bar_ = dark_bar ? Color{0x32, 0x32, 0x32, 255} : Color{0xE8, 0xE8, 0xE8, 255};
    r.title_ = std::string(random.pick(std::span(kTitles)));
  }
  const int free_h = r.canvas_.height - r.title_bar_height_;
  const int target_h = static_cast<int>(free_h * random.uniform(0.82, 0.97));
  r.bezel_ = random.chance(0.5) ? std::max(2, target_h / 60) : 0;
  const int inner_h = target_h - 2 * r.bezel_;
  r.scale_ = static_cast<double>(inner_h) / phone.height;
  const int inner_w = static_cast<int>(std::lround(phone.width * r.scale_));
  const int outer_w = inner_w + 2 * r.bezel_;
  const int x = random.chance(0.7) ? (r.canvas_.width - outer_w) / 2
                                   : random.between(0, std::max(0, r.canvas_.width - outer_w));
  const int y = r.title_bar_height_ + (free_h - target_h) / 2;
  r.phone_area_ = cv::Rect(x + r.bezel_, y + r.bezel_, inner_w, inner_h);
  return r;
}

cv::Mat ScreenRecording::compose(const cv::Mat& phone_image, const ScreenRenderer& renderer) const {
  // The surround is a scene too, so its title reads as a desktop window's would.
  Scene desk;
  desk.width = canvas_.width;
  desk.height = canvas_.height;
  desk.density = 160;
  desk.status_bar = false;
  SceneLayer layer;
  layer.background = surround_;
  if (title_bar_height_ > 0) {
    SceneNode bar;
    bar.ui.bounds = Rect{0, 0, canvas_.width, title_bar_height_};
    bar.style.background = title_bar_;
    SceneNode title;
    title.ui.bounds = bar.ui.bounds;
    title.ui.text = title_;
    title.style.font_size_sp = title_bar_height_ * 0.45;
    title.style.text_color =
        title_bar_.r < 0x80 ? Color{0xE0, 0xE0, 0xE0, 255} : Color{0x30, 0x30, 0x30, 255};
    bar.children.push_back(std::move(title));
    layer.nodes.push_back(std::move(bar));
  }
  if (bezel_ > 0) {
    SceneNode bezel;
    bezel.ui.bounds = Rect{phone_area_.x - bezel_, phone_area_.y - bezel_,
                           phone_area_.x + phone_area_.width + bezel_,
                           phone_area_.y + phone_area_.height + bezel_};
    bezel.style.background = Color{0x0A, 0x0A, 0x0A, 255};
    bezel.style.corner_radius_dp = bezel_ * 3;
    layer.nodes.push_back(std::move(bezel));
  }
  desk.layers.push_back(std::move(layer));
  cv::Mat canvas = renderer.render(desk);
  cv::Mat scaled;
  cv::resize(phone_image, scaled, phone_area_.size(), 0, 0, cv::INTER_AREA);
  scaled.copyTo(canvas(phone_area_));
  return canvas;
}

Rect ScreenRecording::map(const Rect& box) const {
  const auto lo = [&](int v, int origin) {
    return origin + static_cast<int>(std::floor(v * scale_));
  };
  const auto hi = [&](int v, int origin) {
    return origin + static_cast<int>(std::ceil(v * scale_));
  };
  return Rect{lo(box.left, phone_area_.x), lo(box.top, phone_area_.y), hi(box.right, phone_area_.x),
              hi(box.bottom, phone_area_.y)};
}

void ScreenRecording::map(detectors::UiTree& tree) const {
  for (detectors::UiNode& root : tree.roots()) map_node(root, *this);
}

}  // namespace uiw::sim::synth
