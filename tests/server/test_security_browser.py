"""The cockpit under its Content-Security-Policy in real Chromium (Debian's ``chromium`` through
Playwright, as in ``test_cockpit.py``): it loads and works with no policy violation and no console
error, signed in as the operator or with one cabin's token; and markup injected into the page
cannot run script, whatever the page's own code does."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.testing.served import served

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = os.environ.get("CODRIVER_CHROMIUM") or shutil.which("chromium")
if CHROMIUM is None and os.environ.get("CODRIVER_REQUIRE_BROWSER") == "1":
    pytest.fail("CODRIVER_REQUIRE_BROWSER=1 but chromium is not installed", pytrace=False)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
Page = sync_api.Page
expect = sync_api.expect

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with served(build_app(ServerConfig(token=TOKEN, tick_seconds=None))) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@dataclass
class Watched:
    page: Page
    console_errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__violations")
        return found


@pytest.fixture
def watch(browser: object) -> Iterator[object]:
    contexts = []

    def open_(url: str) -> Watched:
        context = browser.new_context(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        contexts.append(context)
        page: Page = context.new_page()
        page.add_init_script(WATCH_VIOLATIONS)
        watched = Watched(page)
        page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
        page.on(
            "console",
            lambda msg: watched.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", timeout=10_000)
        return watched

    yield open_
    for context in contexts:
        context.close()


def say(page: Page, text: str) -> None:
    before = page.locator(".msg.bot").count()
    page.fill("#say-input", text)
    page.click("#say-send")
    expect(page.locator(".msg.bot")).to_have_count(before + 1)


def test_the_cockpit_runs_under_its_policy(watch: object, base_url: str) -> None:
    watched: Watched = watch(f"{base_url}/#token={TOKEN}&session=csp&lang=zh")  # type: ignore[operator]
    say(watched.page, "打开座椅加热，再打开天窗")
    expect(watched.page.locator("#sunroof")).to_have_attribute("data-state", "open")
    assert watched.violations() == []
    assert watched.console_errors == []


def test_a_cabin_token_shows_its_cabin_only(watch: object, base_url: str) -> None:
    for cabin in ("mine", "theirs"):
        httpx.post(f"{base_url}/api/sessions", json={"id": cabin, "lang": "en"}, headers=AUTH)
    minted = httpx.post(
        f"{base_url}/api/sessions/mine/tokens", json={"scope": "drive"}, headers=AUTH
    ).json()
    watched: Watched = watch(f"{base_url}/#token={minted['token']}&lang=en")  # type: ignore[operator]
    options = watched.page.locator("#cabin-select option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "mine"
    say(watched.page, "open the sunroof")
    expect(watched.page.locator("#sunroof")).to_have_attribute("data-state", "open")
    assert watched.violations() == [] and watched.console_errors == []


def test_injected_markup_cannot_run_script(watch: object, base_url: str) -> None:
    watched: Watched = watch(f"{base_url}/#token={TOKEN}&session=inject&lang=en")  # type: ignore[operator]
    page = watched.page
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.innerHTML = '<img src="x" onerror="window.__ran = 1">' +
            '<a id="js-link" href="javascript:window.__ran = 2">x</a>';
          document.body.append(box);
          const script = document.createElement("script");
          script.textContent = "window.__ran = 3";
          document.body.append(script);
        }"""
    )
    page.click("#js-link", force=True)
    deadline = time.monotonic() + 10
    while len(watched.violations()) < 3 and time.monotonic() < deadline:  # reported async
        page.wait_for_timeout(50)  # (wait_for_function would need eval, which the CSP forbids)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in watched.violations())


def test_the_docs_page_runs_its_inline_script(browser: object, base_url: str) -> None:
    """``/docs`` allows its one inline script by hash: no violation (with or without the CDN)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page: Page = context.new_page()
        page.add_init_script(WATCH_VIOLATIONS)
        page.goto(f"{base_url}/docs", wait_until="load")
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
