#include "simdevice/builtin_apps.h"

#include <functional>

namespace uiw::sim {
namespace {

int dp(double value, const DeviceProfile& profile) {
  return static_cast<int>(detectors::dp_to_px(value, profile.density) + 0.5);
}

SceneNode make_node(const std::string& package, const std::string& cls, const std::string& id,
                    const detectors::Rect& bounds) {
  SceneNode n;
  n.ui.package = package;
  n.ui.class_name = cls;
  n.ui.resource_id = id;
  n.ui.bounds = bounds;
  return n;
}

// The first UTF-8 character of a label, as an icon's monogram.
std::string first_char(const std::string& text) {
  if (text.empty()) return "?";
  unsigned char c = static_cast<unsigned char>(text[0]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  return text.substr(0, std::min(len, text.size()));
}

Color icon_color(const std::string& package) {
  static const Color palette[] = {{0x1A, 0x73, 0xE8}, {0xD9, 0x30, 0x25}, {0x18, 0x80, 0x38},
                                  {0xF9, 0xAB, 0x00}, {0x9C, 0x27, 0xB0}, {0x00, 0x89, 0x7B},
                                  {0xE6, 0x4A, 0x19}, {0x3F, 0x51, 0xB5}};
  return palette[std::hash<std::string>{}(package) % (sizeof(palette) / sizeof(palette[0]))];
}

}  // namespace

const std::vector<BuiltinPackage>& builtin_packages() {
  static const std::vector<BuiltinPackage> packages = {
      {kLauncherPackage, "/system_ext/priv-app/Launcher3QuickStep/Launcher3QuickStep.apk", 10071,
       "14", 34, ""},
      {kBrowserPackage, "/product/app/Chrome/Chrome.apk", 10120, "120.0.6099.144", 609914433,
       kBrowserActivity},
      {"android", "/system/framework/framework-res.apk", 1000, "14", 34, ""},
      {"com.android.systemui", "/system_ext/priv-app/SystemUIGoogle/SystemUIGoogle.apk", 10080,
       "14", 34, ""},
      {"com.android.settings", "/system_ext/priv-app/Settings/Settings.apk", 1000, "14", 34, ""},
      {"com.android.shell", "/system/priv-app/Shell/Shell.apk", 2000, "14", 34, ""},
      {"com.android.providers.settings", "/system/priv-app/SettingsProvider/SettingsProvider.apk",
       1000, "14", 34, ""},
      {"com.android.webview", "/product/app/WebViewGoogle/WebViewGoogle.apk", 10110,
       "120.0.6099.144", 609914433, ""},
      {"com.android.inputmethod.latin", "/system/app/LatinIME/LatinIME.apk", 10095, "14", 34, ""},
  };
  return packages;
}

std::vector<LauncherIcon> launcher_layout(const std::vector<LauncherEntry>& apps,
                                          const DeviceProfile& profile) {
  constexpr int kColumns = 4;
  const int cell_w = profile.width / kColumns;
  const int cell_h = dp(104, profile);
  const int top = dp(24 + 56, profile);  // below the status bar and the search row
  std::vector<LauncherIcon> icons;
  for (size_t i = 0; i < apps.size(); ++i) {
    int col = static_cast<int>(i % kColumns);
    int row = static_cast<int>(i / kColumns);
    LauncherIcon icon;
    icon.package = apps[i].package;
    icon.label = apps[i].label;
    icon.bounds = {col * cell_w, top + row * cell_h, (col + 1) * cell_w, top + (row + 1) * cell_h};
    icons.push_back(icon);
  }
  return icons;
}

SceneLayer launcher_layer(const std::vector<LauncherIcon>& icons, const DeviceProfile& profile) {
  const std::string pkg = kLauncherPackage;
  const detectors::Rect screen{0, 0, profile.width, profile.height};
  SceneLayer layer;
  layer.package = pkg;
  layer.background = Color{0x1B, 0x3A, 0x57};  // the wallpaper

  SceneNode drag = make_node(pkg, "android.widget.FrameLayout", pkg + ":id/drag_layer", screen);
  SceneNode workspace = make_node(pkg, "android.widget.ScrollView", pkg + ":id/workspace",
                                  {0, dp(24, profile), profile.width, profile.height});
  const int icon_size = dp(56, profile);
  for (const LauncherIcon& icon : icons) {
    // The tappable TextView covers icon and label, as in Launcher3; its own text is drawn by
    // the two children so the label sits under the icon.
    SceneNode cell = make_node(pkg, "android.widget.TextView", "", icon.bounds);
    cell.ui.text = icon.label;
    cell.ui.content_desc = icon.label;
    cell.ui.clickable = cell.ui.long_clickable = cell.ui.focusable = true;
    cell.style.text_color = Color{0, 0, 0, 0};

    const int cx = icon.bounds.center_x();
    SceneNode glyph = make_node(pkg, "android.widget.ImageView", "",
                                {cx - icon_size / 2, icon.bounds.top + dp(8, profile),
                                 cx + icon_size / 2, icon.bounds.top + dp(8, profile) + icon_size});
    glyph.in_tree = false;
    glyph.ui.text = first_char(icon.label);
    glyph.style.background = icon_color(icon.package);
    glyph.style.corner_radius_dp = 28;
    glyph.style.text_color = Color{255, 255, 255};
    glyph.style.font_size_sp = 24;
    glyph.style.bold = true;

    SceneNode label = make_node(pkg, "android.widget.TextView", "",
                                {icon.bounds.left + dp(4, profile), glyph.ui.bounds.bottom,
                                 icon.bounds.right - dp(4, profile), icon.bounds.bottom});
    label.in_tree = false;
    label.ui.text = icon.label;
    label.style.text_color = Color{255, 255, 255};
    label.style.font_size_sp = 13;

    cell.children.push_back(std::move(glyph));
    cell.children.push_back(std::move(label));
    workspace.children.push_back(std::move(cell));
  }
  drag.children.push_back(std::move(workspace));
  layer.nodes.push_back(std::move(drag));
  return layer;
}

SceneLayer browser_layer(const std::string& url, const DeviceProfile& profile) {
  const std::string pkg = kBrowserPackage;
  SceneLayer layer;
  layer.package = pkg;
  layer.background = Color{255, 255, 255};
  const int status = dp(24, profile);
  const int toolbar_bottom = status + dp(56, profile);
  const int w = profile.width;

  SceneNode control = make_node(pkg, "android.widget.FrameLayout", pkg + ":id/control_container",
                                {0, status, w, toolbar_bottom});
  control.style.background = Color{0xF1, 0xF3, 0xF4};
  SceneNode home = make_node(pkg, "android.widget.ImageButton", pkg + ":id/home_button",
                             {0, status, dp(48, profile), toolbar_bottom});
  home.ui.content_desc = "Open the home page";
  home.ui.clickable = home.ui.focusable = true;
  SceneNode url_bar = make_node(pkg, "android.widget.EditText", pkg + ":id/url_bar",
                                {dp(56, profile), status + dp(8, profile), w - dp(56, profile),
                                 toolbar_bottom - dp(8, profile)});
  url_bar.ui.text = url;
  url_bar.ui.clickable = url_bar.ui.focusable = url_bar.ui.long_clickable = true;
  url_bar.style.background = Color{0xFF, 0xFF, 0xFF};
  url_bar.style.corner_radius_dp = 20;
  url_bar.style.gravity = Gravity::kLeft;
  url_bar.style.font_size_sp = 14;
  SceneNode menu = make_node(pkg, "android.widget.ImageButton", pkg + ":id/menu_button",
                             {w - dp(48, profile), status, w, toolbar_bottom});
  menu.ui.content_desc = "Customize and control Google Chrome";
  menu.ui.clickable = menu.ui.focusable = true;
  control.children = {std::move(home), std::move(url_bar), std::move(menu)};

  // The page: Chrome exposes web content as a WebView whose text is the page title.
  std::string host = url;
  if (size_t scheme = host.find("://"); scheme != std::string::npos) host = host.substr(scheme + 3);
  if (size_t slash = host.find('/'); slash != std::string::npos) host = host.substr(0, slash);
  SceneNode holder =
      make_node(pkg, "android.widget.FrameLayout", pkg + ":id/compositor_view_holder",
                {0, toolbar_bottom, w, profile.height});
  SceneNode web = make_node(pkg, "android.webkit.WebView", "", holder.ui.bounds);
  web.ui.text = host;
  web.ui.focusable = web.ui.scrollable = true;
  web.style.text_color = Color{0, 0, 0, 0};
  SceneNode heading = make_node(pkg, "android.view.View", "",
                                {dp(16, profile), toolbar_bottom + dp(24, profile),
                                 w - dp(16, profile), toolbar_bottom + dp(72, profile)});
  heading.ui.text = host;
  heading.style.font_size_sp = 24;
  heading.style.bold = true;
  heading.style.gravity = Gravity::kLeft;
  SceneNode body = make_node(pkg, "android.view.View", "",
                             {dp(16, profile), heading.ui.bounds.bottom + dp(8, profile),
                              w - dp(16, profile), heading.ui.bounds.bottom + dp(48, profile)});
  body.ui.text = url;
  body.style.font_size_sp = 14;
  body.style.gravity = Gravity::kLeft;
  body.style.text_color = Color{0x5F, 0x63, 0x68};
  web.children = {std::move(heading), std::move(body)};
  holder.children.push_back(std::move(web));

  layer.nodes.push_back(std::move(control));
  layer.nodes.push_back(std::move(holder));
  return layer;
}

}  // namespace uiw::sim
