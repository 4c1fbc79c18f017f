"""Security headers on every response: the cockpit's files, API answers, refusals (401, 404, 405,
413, 422, 429) and even a 500; ``/docs`` with its own policy that allows its inline script by
hash only."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def policy(header: str) -> dict[str, set[str]]:
    """A Content-Security-Policy as directive → sources."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


def assert_hardened(response_headers: dict[str, str] | object) -> None:
    headers = dict(response_headers)  # type: ignore[call-overload]
    found = policy(headers["content-security-policy"])
    assert found["default-src"] == {"'self'"}
    assert found["script-src"] == {"'self'"}
    assert found["style-src"] == {"'self'"}
    assert found["frame-ancestors"] == {"'none'"}
    assert found["object-src"] == {"'none'"}
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.fixture
def app() -> FastAPI:
    built = build_app(ServerConfig(token=TOKEN, tick_seconds=None, auth_failures=2))

    async def boom() -> None:
        raise RuntimeError("a bug")

    built.add_api_route("/api/boom", boom)
    built.router.routes.insert(0, built.router.routes.pop())  # before the cockpit's mount
    return built


CASES = [
    ("GET", "/", None, {}, 200),
    ("GET", "/app.js", None, {}, 200),
    ("GET", "/cockpit.css", None, {}, 200),
    ("GET", "/no-such-file.js", None, {}, 404),
    ("GET", "/api/health", None, {}, 200),
    ("GET", "/openapi.json", None, {}, 200),
    ("GET", "/api/sessions", None, AUTH, 200),
    ("GET", "/api/sessions", None, {}, 401),
    ("GET", "/api/sessions/nope", None, AUTH, 404),
    ("PUT", "/api/sessions", None, AUTH, 405),
    ("POST", "/api/sessions", b"x" * 70_000, AUTH, 413),
    ("POST", "/api/sessions", b"{", AUTH, 422),
    ("OPTIONS", "/api/sessions", None, {}, 204),
    ("GET", "/api/boom", None, AUTH, 500),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    CASES,
    ids=[f"{c[4]} {c[0]} {c[1]}" for c in CASES],
)
def test_every_response_is_hardened(
    app: FastAPI, method: str, path: str, body: bytes | None, headers: dict[str, str], status: int
) -> None:
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert_hardened(response.headers)
    if path.startswith("/api/"):
        assert response.headers["cache-control"] == "no-store"


def test_a_rate_limited_answer_is_hardened(app: FastAPI) -> None:
    with TestClient(app) as client:
        for _ in range(2):
            client.get("/api/sessions", headers={"Authorization": "Bearer wrong"})
        response = client.get("/api/sessions", headers=AUTH)
    assert response.status_code == 429
    assert_hardened(response.headers)


def test_https_answers_carry_hsts(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        secure = client.get("/api/health")
    with TestClient(app) as client:
        plain = client.get("/api/health")
    assert secure.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in plain.headers


def test_the_docs_page_allows_its_own_inline_script_only(app: FastAPI) -> None:
    with TestClient(app) as client:
        page = client.get("/docs")
        assert client.get("/redoc").status_code == 404
    assert page.status_code == 200
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    found = policy(page.headers["content-security-policy"])
    assert found["script-src"] == {"'self'", "https://cdn.jsdelivr.net", f"'sha256-{digest}'"}
    assert found["frame-ancestors"] == {"'none'"}
    assert page.headers["x-frame-options"] == "DENY"
