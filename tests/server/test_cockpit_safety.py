"""The cockpit renders any data as text: no HTML sink in the shipped JavaScript, no inline code or
style in its HTML and SVG, and markup in a cabin's name, a said text or a reply shows literally
without running, in real Chromium under a strict Content-Security-Policy."""

from __future__ import annotations

import re

import httpx
import pytest
from cockpit_browser import STATIC, TOKEN, Pages, say

# Ways to turn a string into markup or code. DOMParser is allowed once: car.js parses the
# cockpit's own car.svg as XML (an XML document runs no script) to draw it inline.
SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\b"
    r"|createContextualFragment|\.srcdoc\b|setTimeout\(\s*[\"'`]|setInterval\(\s*[\"'`]"
    r"|DOMParser"
)
ALLOWED = {("car.js", 'new DOMParser().parseFromString(text, "image/svg+xml")')}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)

PAYLOADS = [
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=2>",
    '"><script>window.__xss=3</script>',
]


def sinks_in(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if SINKS.search(line)]


@pytest.mark.parametrize("module", sorted(p.name for p in STATIC.glob("*.js")))
def test_no_javascript_turns_a_string_into_markup(module: str) -> None:
    found = sinks_in((STATIC / module).read_text(encoding="utf-8"))
    allowed = [snippet for name, snippet in ALLOWED if name == module]
    assert [line for line in found if not any(snippet in line for snippet in allowed)] == []


def test_the_sink_check_finds_what_it_looks_for() -> None:
    source = "box.innerHTML = x;\nel.insertAdjacentHTML('beforeend', y)\nok.textContent = z\n"
    assert sinks_in(source) == ["box.innerHTML = x;", "el.insertAdjacentHTML('beforeend', y)"]


@pytest.mark.parametrize("name", ["index.html", "car.svg", "icon.svg"])
def test_no_inline_script_handler_or_style_in_markup(name: str) -> None:
    assert INLINE.findall((STATIC / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=["img-onerror", "svg-onload", "script-tag"])
@pytest.mark.browser
def test_markup_in_a_name_a_said_text_and_a_reply_shows_as_text(
    pages: Pages, service: object, payload: str
) -> None:
    from playwright.sync_api import expect  # the browser fixture skipped if it is missing

    cabin = f"xss-{PAYLOADS.index(payload)}"
    url = service.url  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    created = httpx.post(
        f"{url}/api/sessions", json={"id": cabin, "name": payload}, headers=headers
    )
    assert created.status_code == 201, created.text
    page = pages.open(cabin, "en")
    expect(page.locator("#cabin-select option:checked")).to_have_text(payload)
    say(page, payload)  # said as it is: the bubble shows it
    expect(page.locator(".msg.user .bubble").last).to_have_text(payload)
    say(page, f"remind me to {payload} in 10 minutes")  # the reminder's text comes back as a reply
    page.click('[data-advance="600"]')
    expect(page.locator(".msg.notice .bubble").last).to_contain_text(payload)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#messages img, #messages svg, #messages script").count() == 0
    assert page.locator("#cabin-select img, #cabin-select script").count() == 0
