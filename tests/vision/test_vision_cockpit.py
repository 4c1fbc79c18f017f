"""The cockpit's driver card in headless Chromium: observations posted to the service show as the
driver's eyes, head and attention, and a gesture with what it did (skipped without a browser)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict

import httpx
import pytest
from vision_frames import SHUT, Clip, face, hand

from codriver.server.app import build_app
from codriver.server.config import ServerConfig
from codriver.testing.served import served

TOKEN = "vision-cockpit"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = os.environ.get("CODRIVER_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with served(build_app(ServerConfig(token=TOKEN, tick_seconds=None))) as port:
        yield f"http://127.0.0.1:{port}"


def test_the_driver_card_shows_what_the_camera_sees(base_url: str) -> None:
    api = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"})
    given = {"Vehicle.Speed": 80, "Vehicle.Powertrain.Transmission.SelectedGear": 127}
    assert api.post("/api/sessions", json={"id": "eyes", "given": given}).status_code == 201
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base_url}/#token={TOKEN}&session=eyes&lang=en")
        page.wait_for_selector("body[data-ready='1']", timeout=10_000)
        expect(page.locator("#driver-card")).to_be_hidden()
        palm = hand((0.7, 0.6), "palm")
        clip = Clip().awake(12.0).hold(3.0, face(ear=SHUT)).hold(1.0, face(), hands=(palm,))
        for start in range(0, len(clip.frames), 60):
            frames = [asdict(f) for f in clip.frames[start : start + 60]]
            assert api.post("/api/sessions/eyes/vision", json={"frames": frames}).is_success
        expect(page.locator("#driver-card")).to_be_visible()
        expect(page.locator("#driver-reasons")).not_to_be_empty()
        assert int(page.locator("#driver-fatigue").inner_text().rstrip("%")) >= 70
        expect(page.locator("#driver-reasons")).to_contain_text("eyes closed too long")
        expect(page.locator("#driver-gesture")).to_contain_text("Palm")
        expect(page.locator("#suggestion")).to_be_visible()  # care's offer, as any offer
        assert errors == []
        browser.close()
