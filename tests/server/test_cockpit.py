"""The cockpit end to end in headless Chromium: a compound request changes the car and the cards,
a sensor change brings a suggestion, a second session stays unaffected, both UI languages.
Screenshots go to ``tests/server/artifacts/``; the plumbing is in ``cockpit_browser.py``.
"""

from __future__ import annotations

import re

import pytest
from cockpit_browser import Pages, marks, say, shot, slide

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = marks
expect = sync_api.expect


def test_a_compound_request_changes_the_car_and_the_cards(pages: Pages) -> None:
    page = pages.open("compound", "zh")
    expect(page.locator("#climate-card h2")).to_contain_text("空调")
    say(page, "打开座椅加热，氛围灯调成蓝色，再来点周杰伦")
    seat = page.locator('[id="seat-Row1.DriverSide"]')
    expect(seat).not_to_have_attribute("data-heat", "0")
    ambient = page.locator('[id="ambient-Row1.DriverSide"]')
    expect(ambient).to_have_attribute("data-on", "true")
    assert ambient.get_attribute("data-color").upper() not in ("", "#FFFFFF")
    expect(page.locator("#media-card")).to_have_attribute("data-playing", "true")
    expect(page.locator("#media-track")).to_contain_text("周杰伦")
    expect(page.locator(".msg.bot .bubble").last).to_contain_text("座椅加热")
    shot(page, "compound-zh")


def test_the_body_and_the_route_in_english(pages: Pages) -> None:
    page = pages.open("route", "en")
    expect(page.locator("#nav-card h2")).to_contain_text("Navigation")
    say(page, "open the sunroof and the driver's window")
    say(page, "navigate to Hangzhou")
    expect(page.locator("#sunroof")).to_have_attribute("data-state", "open")
    expect(page.locator('[id="window-Row1.DriverSide"]')).not_to_have_attribute(
        "data-position", "0"
    )
    expect(page.locator("#nav-dest")).to_have_text("Hangzhou")
    expect(page.locator("#nav-range")).to_have_attribute("data-verdict", "ok")
    page.click('button[data-lang="zh"]')
    expect(page.locator("#nav-card h2")).to_contain_text("导航")
    shot(page, "route-zh-ui")


def test_a_sensor_change_brings_a_suggestion_to_accept(pages: Pages) -> None:
    page = pages.open("care", "en")
    slide(page, "Vehicle.Speed", 100)
    expect(page.locator("#stat-speed")).to_have_text("100")
    slide(page, "Vehicle.Driver.FatigueLevel", 80)
    suggestion = page.locator("#suggestion")
    expect(suggestion).to_be_visible()
    expect(page.locator(".msg.notice").last).to_contain_text("tired")
    shot(page, "suggestion-en")
    page.click("#suggestion-accept")
    expect(suggestion).to_be_hidden()
    expect(page.locator("#nav-card")).to_have_attribute("data-active", "true")


def test_a_second_session_stays_unaffected(pages: Pages) -> None:
    first = pages.open("first", "en")
    second = pages.open("second", "zh")
    say(first, "open all the windows and turn on my seat heating")
    expect(first.locator('[id="window-Row2.PassengerSide"]')).not_to_have_attribute(
        "data-position", "0"
    )
    say(second, "打开后备箱")
    expect(second.locator("#trunk")).to_have_attribute("data-open", "true")
    for side in ("Row1.DriverSide", "Row2.PassengerSide"):
        expect(second.locator(f'[id="window-{side}"]')).to_have_attribute("data-position", "0")
    expect(second.locator('[id="seat-Row1.DriverSide"]')).to_have_attribute("data-heat", "0")
    expect(first.locator("#trunk")).to_have_attribute("data-open", "false")
    expect(second.locator(".msg.user")).to_have_count(1)
    shot(first, "isolation-first")
    shot(second, "isolation-second")


WORDS = {
    "zh": ["打开座椅加热", "主驾温度调到26度", "打开主驾车窗", "打开主驾车门"],
    "en": [
        "turn on my seat heating",
        "set my temperature to 26",
        "open the driver window",
        "open the driver door",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_drawing_shows_what_changed(pages: Pages, lang: str) -> None:
    heat, warmer, window, door = WORDS[lang]
    page = pages.open(f"drawing-{lang}", lang)
    seat = page.locator('[id="seat-Row1.DriverSide"]')
    win = page.locator('[id="window-Row1.DriverSide"]')
    driver_door = page.locator('[id="door-Row1.DriverSide"]')
    say(page, heat)
    expect(seat).not_to_have_attribute("data-heat", "0")
    expect(seat).to_have_attribute("data-changed", "true")
    say(page, warmer)
    expect(seat).to_have_attribute("data-temperature", "26")
    expect(seat.locator(".seat-temp")).to_have_text("26°")
    expect(seat.locator(".seat-temp")).to_have_attribute("data-feel", "warm")
    say(page, window)
    expect(win).to_have_attribute("data-position", "100")
    expect(win).to_have_class(re.compile(r"\bchanged\b"))
    expect(seat).not_to_have_class(re.compile(r"\bchanged\b"))  # the last change is the window
    say(page, door)
    expect(driver_door).to_have_attribute("data-open", "true")
    expect(driver_door).to_have_attribute("data-unsafe", "false")  # parked: open is fine
    expect(page.locator("#stat-alert")).to_be_hidden()
    slide(page, "Vehicle.Speed", 60)
    expect(driver_door).to_have_attribute("data-unsafe", "true")
    expect(driver_door).to_have_class(re.compile(r"\bunsafe\b"))
    expect(page.locator("#stat-alert")).to_be_visible()
    expect(page.locator('[id="door-Row2.DriverSide"]')).to_have_attribute("data-unsafe", "false")
    page.wait_for_timeout(400)
    shot(page, f"drawing-{lang}")
