#include "simdevice/mask_blend.h"

namespace uiw::sim {

void blend_mask(cv::Mat& dst, const cv::Mat& mask, Color color) {
  CV_Assert(dst.size() == mask.size() && dst.type() == CV_8UC3 && mask.type() == CV_8UC1);
  const int alpha = color.a;
  if (alpha == 0) return;
  const int c[3] = {color.b, color.g, color.r};
  for (int y = 0; y < dst.rows; ++y) {
    uchar* p = dst.ptr<uchar>(y);
    const uchar* m = mask.ptr<uchar>(y);
    for (int x = 0; x < dst.cols; ++x, p += 3) {
      if (m[x] == 0) continue;
      const int a = (m[x] * alpha + 127) / 255;
      for (int k = 0; k < 3; ++k)
        p[k] = static_cast<uchar>((p[k] * (255 - a) + c[k] * a + 127) / 255);
    }
  }
}

}  // namespace uiw::sim
