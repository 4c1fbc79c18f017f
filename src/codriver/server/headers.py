"""Security headers on every response (the cockpit's files, the API, refusals and errors alike),
and the ``/docs`` page with a policy of its own.

The cockpit runs no inline script or style and fetches nothing from elsewhere, so its policy is
strict. Swagger UI (``/docs``) loads from a CDN and starts from one inline script, which its page's
policy allows by hash, nothing more.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' {cdn} {hashes}; style-src 'self' {cdn} "
    "'unsafe-inline'; img-src 'self' data: {cdn} https://fastapi.tiangolo.com; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
ALWAYS: list[tuple[bytes, bytes]] = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")
NO_STORE = (b"cache-control", b"no-store")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class SecurityHeaders:
    """Adds the headers a response lacks (a route may set its own policy: ``/docs`` does)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [*ALWAYS, (b"content-security-policy", CSP.encode())]
        if scope.get("scheme") == "https":
            extra.append(HSTS)
        if str(scope.get("path", "")).startswith("/api/"):
            extra.append(NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_docs_page(app: FastAPI) -> None:
    """``/docs``: Swagger UI, its inline script allowed by its hash."""

    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url=app.openapi_url or "", title=f"{app.title} API")
        policy = DOCS_CSP.format(cdn=CDN, hashes=" ".join(_hashes(bytes(page.body).decode())))
        page.headers["Content-Security-Policy"] = policy
        return page

    app.add_api_route("/docs", docs, include_in_schema=False)


def _hashes(html: str) -> list[str]:
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in _INLINE_SCRIPT.findall(html)
    ]
