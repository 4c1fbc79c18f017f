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
