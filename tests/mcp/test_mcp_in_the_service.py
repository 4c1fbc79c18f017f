"""``codriver serve --apps``: the apps are connected once when the service starts and every
cabin can use them; a paid order still waits for that cabin's occupant."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the [server] extra is not installed")
# the SDK: a bare "mcp" would also find this folder, tests/mcp
pytest.importorskip("mcp.client.stdio", reason="the [mcp] extra is not installed")

from fastapi.testclient import TestClient

from codriver.mcp.config import load_apps
from codriver.server.app import build_app
from codriver.server.config import ServerConfig

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer t"}


def test_every_cabin_reaches_the_apps_and_orders_wait_for_a_yes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)  # the example servers run as modules of the repository
    apps = load_apps(ROOT / "examples" / "mcp_servers" / "apps.yaml")
    app = build_app(ServerConfig(token="t", tick_seconds=None), apps=apps)
    with TestClient(app, headers=AUTH) as client:
        for cabin in ("front", "back"):
            assert client.post("/api/sessions", json={"id": cabin}).status_code == 201

        def turn(cabin: str, text: str) -> dict[str, object]:
            response = client.post(f"/api/sessions/{cabin}/turns", json={"text": text})
            assert response.status_code == 200, response.text
            return dict(response.json())

        asked = turn("front", "order a large latte")
        assert asked["outcome"] == "asked" and "cost money" in str(asked["reply"])
        elsewhere = turn("back", "what coffee")
        assert elsewhere["outcome"] == "answered" and "Coffee Express" in str(elsewhere["reply"])
        done = turn("front", "yes")
        assert done["outcome"] == "done" and "Order" in str(done["reply"])
