#pragma once
// The kinds of screen the generator draws. Pages lay out the activity (the bottom layer);
// pop-ups open a window over whatever page is there. Each labels what it draws.
#include "simdevice/synth/screen_builder.h"

namespace uiw::sim::synth {

// Rows of label + switch / checkbox / radio, some on, some off, with section headers and
// dividers: the user's current choices; only a default-on topic that is on (notifications,
// marketing, location…: CON-02) is a DEFAULT CHOICE.
void build_settings_page(ScreenBuilder& screen);
// Onboarding / sign-up: check rows ("I agree…", "Send me offers") or switches and a continue
// button; a checked consent option here is a DEFAULT CHOICE.
void build_consent_page(ScreenBuilder& screen);
// Lists, cards and flat image blocks, or a photo picker's grid with a checkbox on each tile:
// nothing deceptive, and no choice of any topic.
void build_content_page(ScreenBuilder& screen);
// A full-screen ad as the activity itself, with a corner × (12–40 dp, some faint) or a skip pill.
void build_interstitial_page(ScreenBuilder& screen);

// An alert dialog: title, body, maybe a check row, one or two buttons in the design system's
// emphasis; nagging unless it confirms the user's own action.
void add_dialog(ScreenBuilder& screen);
// "Enjoying the app?" with stars.
void add_rating_prompt(ScreenBuilder& screen);
// A bottom sheet: privacy choices with switches, an "open in the app" prompt, or a plain list
// of actions / choices the user opened.
void add_bottom_sheet(ScreenBuilder& screen);
// An ad over a dimmed page: a large card or the whole screen, with a close mark.
void add_ad_overlay(ScreenBuilder& screen);

}  // namespace uiw::sim::synth
