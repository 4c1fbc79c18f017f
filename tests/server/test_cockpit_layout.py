"""The cockpit on every screen: a 390 px phone, a 1024×600 head unit and a 1920×720 car display, in
both UI languages. No sideways scroll; the status strip and the text input stay in view and on
top (what the browser hits at their centres is them) wherever the page is scrolled; they never
overlap; every card lies inside the screen's width and no two overlap. Screenshots go to
``tests/server/artifacts/layout-*.png``."""

from __future__ import annotations

from typing import Any

import pytest
from cockpit_browser import HEAD_UNIT, PHONE, WIDE, Pages, marks, say, shot, slide

pytestmark = marks

STATUS = ["#stat-speed", "#stat-gear", "#stat-battery", "#stat-range", "#stat-locks"]
INPUT = ["#say-input", "#say-send"]
SCREENS = {"phone": PHONE, "head-unit": HEAD_UNIT, "wide": WIDE}

# Reads the layout in the page: boxes, what is hit at a point, how wide the document is.
MEASURE = """(selectors) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, right: r.right, bottom: r.bottom, w: r.width, h: r.height}; };
  const hit = (el) => { const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!at && (el === at || el.contains(at)); };
  const one = (s) => { const el = document.querySelector(s); return {...box(el), hit: hit(el)}; };
  return {
    width: innerWidth, height: innerHeight,
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    parts: Object.fromEntries(selectors.map((s) => [s, one(s)])),
    cards: [...document.querySelectorAll("main .card")].filter((c) => c.offsetParent)
      .map((c) => ({id: c.id || c.className, ...box(c)})),
  };
}"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["right"]
        and b["x"] < a["right"]
        and a["y"] < b["bottom"]
        and b["y"] < a["bottom"]
    )


def check(page: Any, where: str) -> dict[str, Any]:
    seen = page.evaluate(MEASURE, STATUS + INPUT + ["#status-strip"])
    width, height = seen["width"], seen["height"]
    assert seen["scrollWidth"] <= width, f"{where}: scrolls sideways ({seen['scrollWidth']} px)"
    for selector in STATUS + INPUT:
        part = seen["parts"][selector]
        assert part["w"] > 0 and part["h"] > 0, f"{where}: {selector} is not shown"
        inside = part["x"] >= 0 and part["right"] <= width and part["y"] >= 0
        assert inside and part["bottom"] <= height, f"{where}: {selector} is off screen: {part}"
        assert part["hit"], f"{where}: {selector} is covered by something else"
    strip, field = seen["parts"]["#status-strip"], seen["parts"]["#say-input"]
    assert not overlap(strip, field), f"{where}: the status strip and the input overlap"
    for card in seen["cards"]:
        assert card["x"] >= 0 and card["right"] <= width + 0.5, f"{where}: {card['id']} is cut off"
    for n, a in enumerate(seen["cards"]):
        for b in seen["cards"][n + 1 :]:
            assert not overlap(a, b), f"{where}: {a['id']} and {b['id']} overlap"
    return seen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_cockpit_fits_the_screen(pages: Pages, screen: str, lang: str) -> None:
    page = pages.open(f"layout-{screen}-{lang}", lang, SCREENS[screen])
    check(page, f"{screen} {lang}, empty")
    words = {
        "zh": ["打开座椅加热，氛围灯调成蓝色，再来点周杰伦", "导航去杭州，途经嘉兴"],
        "en": ["turn on seat heating and play some jazz", "navigate to Hangzhou via Jiaxing"],
    }[lang]
    for text in words:
        say(page, text)
    slide(page, "Vehicle.Speed", 100)
    slide(page, "Vehicle.Driver.FatigueLevel", 80)
    page.wait_for_selector("#suggestion:not([hidden])")
    page.wait_for_timeout(600)  # transitions settle before the picture
    check(page, f"{screen} {lang}, at the top")
    shot(page, f"layout-{screen}-{lang}")
    for fraction in (0.5, 1.0):
        page.evaluate("(f) => scrollTo(0, f * document.documentElement.scrollHeight)", fraction)
        check(page, f"{screen} {lang}, scrolled {fraction:.0%}")
    if screen == "phone":
        shot(page, f"layout-{screen}-{lang}-scrolled")
