// Plain content: feeds, cards, image placeholders and photo pickers, with nothing deceptive.
#include <array>
#include <string>

#include "simdevice/synth/distractors.h"
#include "simdevice/synth/page_chrome.h"
#include "simdevice/synth/screen_kinds.h"
#include "simdevice/synth/widget_factory.h"

namespace uiw::sim::synth {
namespace {

using detectors::Rect;

void add_title_and_snippet(ScreenBuilder& screen, SceneNode& parent, const Rect& area) {
  const Theme& theme = screen.theme();
  const int mid = area.top + area.height() * 3 / 5;
  parent.children.push_back(screen.text(Rect{area.left, area.top, area.right, mid},
                                        screen.pick_fresh_text(screen.phrases().content_titles), 16,
                                        theme.on_surface, Gravity::kLeft,
                                        screen.random().chance(0.4)));
  parent.children.push_back(screen.text(Rect{area.left, mid, area.right, area.bottom},
                                        screen.pick_text(screen.phrases().content_snippets), 13,
                                        theme.muted));
}

// Each block maker adds one block under `y` to `list` and returns its bottom, or returns -1
// and adds nothing when the block would not fit above `limit`.

// A row: thumbnail, title, snippet, and now and then a follow button.
int add_list_row(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& list, int y, int limit) {
  const int h = screen.px(96), pad = screen.px(12);
  if (y + h > limit) return -1;
  const Rect row{0, y, screen.width(), y + h};
  SceneNode container = screen.view("android.widget.LinearLayout", row);
  container.ui.clickable = true;
  const int thumb = h - 2 * pad;
  const Rect picture{pad + screen.px(4), y + pad, pad + screen.px(4) + thumb, y + pad + thumb};
  if (screen.random().chance(0.35)) {
    // An avatar or app icon, smaller than a thumbnail.
    const int side = screen.px(screen.random().uniform(32, 56));
    container.children.push_back(
        icon(screen, Rect{picture.left, row.center_y() - side / 2, picture.left + side,
                          row.center_y() - side / 2 + side}));
  } else {
    container.children.push_back(photo(screen, picture, 6));
  }
  int text_right = screen.width() - screen.px(16);
  if (screen.random().chance(0.15)) {
    const int bw = screen.px(72), bh = screen.px(32);
    const Rect b{text_right - bw, row.center_y() - bh / 2, text_right,
                 row.center_y() - bh / 2 + bh};
    const bool filled = screen.random().chance(0.5);
    container.children.push_back(
        widgets.button(filled ? ButtonEmphasis::kFilled : ButtonEmphasis::kOutlined, b,
                       screen.language() == Language::kChinese ? "关注" : "Follow"));
    text_right = b.left - screen.px(8);
  }
  add_title_and_snippet(screen, container,
                        Rect{pad + screen.px(20) + thumb, y + pad, text_right, y + h - pad});
  list.children.push_back(std::move(container));
  return row.bottom;
}

// A card: a wide picture with a title and a snippet under it.
int add_card(ScreenBuilder& screen, WidgetFactory&, SceneNode& list, int y, int limit) {
  const int margin = screen.px(12), picture = screen.px(screen.random().uniform(140, 200));
  const int text_h = screen.px(64);
  if (y + margin + picture + text_h > limit) return -1;
  const Rect card{margin, y + margin, screen.width() - margin, y + margin + picture + text_h};
  SceneNode node = screen.block(card, screen.theme().surface, 12, "android.widget.FrameLayout");
  node.children.push_back(
      photo(screen, Rect{card.left, card.top, card.right, card.top + picture}, 12));
  add_title_and_snippet(screen, node,
                        Rect{card.left + screen.px(12), card.top + picture + screen.px(4),
                             card.right - screen.px(12), card.bottom - screen.px(4)});
  list.children.push_back(std::move(node));
  return card.bottom;
}

// Two tiles side by side.
int add_tile_pair(ScreenBuilder& screen, WidgetFactory&, SceneNode& list, int y, int limit) {
  const int margin = screen.px(8), w = (screen.width() - 3 * margin) / 2;
  const int side = w, text_h = screen.px(52);
  if (y + margin + side + text_h > limit) return -1;
  for (int i = 0; i < 2; ++i) {
    const int left = margin + i * (w + margin);
    const Rect tile{left, y + margin, left + w, y + margin + side + text_h};
    SceneNode node = screen.view("android.widget.FrameLayout", tile);
    node.ui.clickable = true;
    node.children.push_back(
        photo(screen, Rect{tile.left, tile.top, tile.right, tile.top + side}, 8));
    add_title_and_snippet(screen, node,
                          Rect{tile.left + screen.px(4), tile.top + side, tile.right, tile.bottom});
    list.children.push_back(std::move(node));
  }
  return y + margin + side + text_h;
}

// A row of shortcut icons with a caption under each (the grid at the top of many home pages), or
// of small photo thumbnails (a picker, an album).
int add_icon_row(ScreenBuilder& screen, WidgetFactory&, SceneNode& list, int y, int limit) {
  const int count = screen.random().between(3, 5);
  const bool photos = screen.random().chance(0.3);
  const int margin = screen.px(12), cell = (screen.width() - 2 * margin) / count;
  const int side = photos ? cell - screen.px(4) : screen.px(screen.random().uniform(28, 52));
  const int caption = photos ? 0 : screen.px(24);
  const int h = side + caption + screen.px(16);
  if (y + h > limit) return -1;
  for (int i = 0; i < count; ++i) {
    const int cx = margin + i * cell + cell / 2;
    const Rect box{cx - side / 2, y + screen.px(8), cx - side / 2 + side, y + screen.px(8) + side};
    list.children.push_back(photos ? photo(screen, box, screen.random().uniform(0, 8))
                                   : icon(screen, box));
    if (!photos)
      list.children.push_back(screen.text(
          Rect{margin + i * cell, box.bottom, margin + (i + 1) * cell, box.bottom + caption},
          screen.pick_text(screen.phrases().choice_labels), 12, screen.theme().on_surface,
          Gravity::kCenter));
  }
  return y + h;
}

// A picker's grid (photos to choose from): square tiles two to four a row, each with a checkbox
// at its top-right corner over the photo, a few of them ticked. Choices, but of no topic.
int add_picker_row(ScreenBuilder& screen, WidgetFactory& widgets, SceneNode& list, int y,
                   int limit) {
  const int columns = screen.random().between(2, 4);
  const int gap = screen.px(screen.random().uniform(2, 8));
  const int side = (screen.width() - (columns + 1) * gap) / columns;
  if (y + gap + side > limit) return -1;
  for (int i = 0; i < columns; ++i) {
    const int left = gap + i * (side + gap);
    const Rect tile{left, y + gap, left + side, y + gap + side};
    SceneNode node = screen.view("android.widget.FrameLayout", tile);
    node.ui.clickable = true;
    node.children.push_back(photo(screen, tile, screen.random().uniform(0, 4)));
    const int target = screen.px(48), inset = screen.px(screen.random().uniform(0, 6));
    const Rect box{tile.right - inset - target, tile.top + inset, tile.right - inset,
                   tile.top + inset + target};
    node.children.push_back(widgets.toggle(Glyph::kCheckbox, screen.random().chance(0.3), box));
    list.children.push_back(std::move(node));
  }
  return y + gap + side;
}

using BlockMaker = int (*)(ScreenBuilder&, WidgetFactory&, SceneNode&, int, int);
constexpr std::array<BlockMaker, 5> kBlockMakers = {add_list_row, add_card, add_tile_pair,
                                                    add_icon_row, add_picker_row};

}  // namespace

void build_content_page(ScreenBuilder& screen) {
  add_toolbar(screen, screen.pick_text(screen.phrases().tab_labels));
  if (screen.random().chance(0.6)) add_bottom_tabs(screen);
  WidgetFactory widgets(screen);
  const BlockMaker maker = screen.pick(std::span(kBlockMakers));
  SceneNode list = screen.view("androidx.recyclerview.widget.RecyclerView",
                               Rect{0, screen.top(), screen.width(), screen.bottom()});
  list.ui.scrollable = true;
  for (int y = screen.top(); y >= 0;) y = maker(screen, widgets, list, y, screen.bottom());
  screen.layer().nodes.push_back(std::move(list));
}

}  // namespace uiw::sim::synth
