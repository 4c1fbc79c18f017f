"""Fixtures for the service: an app with its own cabins (clocks still), a client that carries the
token, and the ``browser`` marker for the end-to-end tests in Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")

from fastapi import FastAPI
from fastapi.testclient import TestClient
from redis_server import redis_server, redis_url  # noqa: F401  (the fleet's fixtures)

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end tests in headless Chromium")


@pytest.fixture
def app() -> FastAPI:
    return build_app(ServerConfig(token=TOKEN, tick_seconds=None, max_cabins=4))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers=AUTH) as test_client:
        yield test_client


@pytest.fixture
def cabin(client: TestClient) -> str:
    """A fresh session's id."""
    response = client.post("/api/sessions", json={"id": "cabin-a"})
    assert response.status_code == 201, response.text
    return "cabin-a"


# -- the cockpit in Chromium (helpers in cockpit_browser.py) -------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for a test module (Debian's, through Playwright)."""
    from cockpit_browser import CHROMIUM

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def service() -> Iterator[object]:
    """The service on a free loopback port, in a thread, under the strict policy."""
    from cockpit_browser import running

    with running() as served:
        yield served


@pytest.fixture
def pages(browser: object, service: object) -> Iterator[object]:
    """Opens cockpit pages; a script error or a policy violation on any of them fails the test."""
    from cockpit_browser import Pages

    opened = Pages(browser, service.url)  # type: ignore[attr-defined]
    yield opened
    problems = opened.problems()
    opened.close()
    assert problems == [], problems
