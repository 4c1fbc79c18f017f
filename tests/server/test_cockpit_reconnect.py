"""The cockpit comes back by itself: after the connection drops (the service still running) it
reconnects and keeps or catches up the conversation; after a restart of the service it shows the
cabin as the service restored it; and when the cabin is really gone it says so, and opens no fresh
cabin in its place, until asked to."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from cockpit_browser import PHONE, TOKEN, FlakyLink, Pages, Service, make_app, marks, say, shot

pytestmark = marks
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def restartable() -> Iterator[Service]:
    service = Service().start()
    yield service
    service.stop()


@pytest.fixture
def tabs(browser: object, restartable: Service) -> Iterator[Pages]:
    opened = Pages(browser, restartable.url)
    yield opened
    problems = opened.problems()
    opened.close()
    assert problems == [], problems


def sessions(service: Service) -> list[str]:
    listed = httpx.get(f"{service.url}/api/sessions", headers=AUTH).json()
    return [s["id"] for s in listed]


def test_after_a_drop_it_reconnects_and_keeps_or_catches_up(
    browser: object, restartable: Service
) -> None:
    link = FlakyLink(restartable.port)
    tabs = Pages(browser, link.url)
    try:
        page = tabs.open("flaky", "en")
        say(page, "open the trunk and turn on my seat heating")
        chips = page.locator(".msg.bot .action")
        expect(chips).to_have_count(2)
        timing = page.locator(".msg.bot .latency").last.text_content()

        link.cut_off()  # nothing happens while away: the conversation stays as it is
        expect(page.locator("#reconnecting")).to_be_visible()
        shot(page, "reconnecting-en")
        link.restore()
        expect(page.locator("#conn")).to_have_attribute("data-state", "open")
        expect(page.locator("#reconnecting")).to_be_hidden()
        expect(chips).to_have_count(2)
        assert page.locator(".msg.bot .latency").last.text_content() == timing

        link.cut_off()  # a turn while away: the page catches up with it
        expect(page.locator("#reconnecting")).to_be_visible()
        turn = {"text": "open the sunroof"}
        httpx.post(f"{restartable.url}/api/sessions/flaky/turns", json=turn, headers=AUTH)
        link.restore()
        expect(page.locator("#sunroof")).to_have_attribute("data-state", "open")
        expect(page.locator(".msg.user .bubble").last).to_have_text("open the sunroof")
        expect(page.locator("#trunk")).to_have_attribute("data-open", "true")
        assert tabs.problems() == []
    finally:
        tabs.close()
        link.close()


def test_after_a_restart_it_shows_the_cabin_the_service_restored(
    tabs: Pages, restartable: Service
) -> None:
    page = tabs.open("kept", "en")
    say(page, "open the trunk")
    expect(page.locator("#trunk")).to_have_attribute("data-open", "true")
    restartable.stop()
    expect(page.locator("#reconnecting")).to_be_visible()
    restored = make_app()  # as a store would: the cabin is back, as it was and a bit more
    given = {"Vehicle.Body.Trunk.Rear.IsOpen": True, "Vehicle.Cabin.Sunroof.Position": 100}
    opening = restored.state.cabins.open("kept", "kept", given)
    with ThreadPoolExecutor(1) as aside:  # Playwright's loop runs in this thread
        aside.submit(asyncio.run, opening).result()
    restartable.start(restored)
    expect(page.locator("#sunroof")).to_have_attribute("data-state", "open")
    expect(page.locator("#trunk")).to_have_attribute("data-open", "true")
    expect(page.locator("#reconnecting")).to_be_hidden()
    expect(page.locator("#gone")).to_be_hidden()


def test_a_cabin_lost_in_a_restart_is_said_to_be_gone(tabs: Pages, restartable: Service) -> None:
    page = tabs.open("lost", "zh", PHONE)
    say(page, "打开后备箱")
    restartable.stop()
    restartable.start(make_app())  # nothing kept
    gone = page.locator("#gone")
    expect(gone).to_be_visible()
    expect(gone).to_contain_text("服务上已没有这个座舱")
    expect(page.locator("#gone-cabin")).to_have_text("lost")
    expect(page.locator("#trunk")).to_have_attribute("data-open", "true")  # as it last was
    shot(page, "gone-phone-zh")
    assert sessions(restartable) == []  # no fresh cabin in its place
    page.reload()
    expect(gone).to_be_visible()
    assert sessions(restartable) == []
    page.click("#gone-restart")  # until asked to
    expect(gone).to_be_hidden()
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    expect(page.locator("#trunk")).to_have_attribute("data-open", "false")
    assert sessions(restartable) == ["lost"]
