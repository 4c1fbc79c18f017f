"""The cockpit end to end in headless Chromium (Debian's ``chromium``, driven by Playwright with
``executable_path``; no browser download). Screenshots go to ``tests/server/artifacts/``.

Skipped when Playwright or Chromium is missing; ``.ci/run`` installs both, so CI runs them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

TOKEN = "test-token"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = os.environ.get("CODRIVER_CHROMIUM") or shutil.which("chromium")
REQUIRED = os.environ.get("CODRIVER_REQUIRE_BROWSER") == "1"  # .ci/run sets it: no silent skip
if CHROMIUM is None and REQUIRED:
    pytest.fail("CODRIVER_REQUIRE_BROWSER=1 but chromium is not installed", pytrace=False)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
Page = sync_api.Page
expect = sync_api.expect
Opener = Callable[[str, str], Page]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The service on a free loopback port, in a thread of this process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = build_app(ServerConfig(token=TOKEN, tick_seconds=None))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_cabin(browser: object, base_url: str) -> Iterator[Opener]:
    """Open the cockpit on a session (created by the page) in a UI language."""
    contexts = []

    def open_(session: str, lang: str) -> Page:
        context = browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        contexts.append(context)
        page: Page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base_url}/#token={TOKEN}&session={session}&lang={lang}")
        page.wait_for_selector("body[data-ready='1']", timeout=10_000)
        assert errors == []
        return page

    yield open_
    for context in contexts:
        context.close()


def say(page: Page, text: str) -> None:
    before = page.locator(".msg.bot").count()
    page.fill("#say-input", text)
    page.click("#say-send")
    expect(page.locator(".msg.bot")).to_have_count(before + 1)


def slide(page: Page, path: str, value: float) -> None:
    page.locator(f'label[data-path="{path}"] input').evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_compound_request_changes_the_car_and_the_cards(open_cabin: Opener) -> None:
    page = open_cabin("compound", "zh")
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


def test_the_body_and_the_route_in_english(open_cabin: Opener) -> None:
    page = open_cabin("route", "en")
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


def test_a_sensor_change_brings_a_suggestion_to_accept(open_cabin: Opener) -> None:
    page = open_cabin("care", "en")
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


def test_a_second_session_stays_unaffected(open_cabin: Opener) -> None:
    first = open_cabin("first", "en")
    second = open_cabin("second", "zh")
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
