"""What the cockpit's browser tests share: a service in a thread (restartable on its port), the
page opener that fails a test on any script error or Content-Security-Policy violation, and small
page actions. Debian's ``chromium`` is driven by Playwright through ``executable_path`` (no browser
download); without either the tests skip, and ``.ci/run`` makes a missing browser an error.

The service is served here with the strict policy the cockpit must live under (no inline script or
style attribute, nothing from elsewhere), so a page that needs more fails its test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

TOKEN = "test-token"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STATIC = Path(__file__).resolve().parents[2] / "src" / "codriver" / "server" / "static"
CHROMIUM = os.environ.get("CODRIVER_CHROMIUM") or shutil.which("chromium")
REQUIRED = os.environ.get("CODRIVER_REQUIRE_BROWSER") == "1"  # .ci/run sets it: no silent skip
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
PHONE = {"width": 390, "height": 844}
HEAD_UNIT = {"width": 1024, "height": 600}
WIDE = {"width": 1920, "height": 720}
DESKTOP = {"width": 1440, "height": 900}

if CHROMIUM is None and REQUIRED:
    pytest.fail("CODRIVER_REQUIRE_BROWSER=1 but chromium is not installed", pytrace=False)
marks = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

# Collected from every page: script errors and policy violations fail the test that opened it.
WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__problems.push(`CSP ${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


class StrictPolicy:
    """Adds the Content-Security-Policy to every HTTP answer (plain ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"content-security-policy", POLICY.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy if scope["type"] == "http" else send)


def make_app() -> FastAPI:
    """The service as the cockpit tests run it: clocks still, the strict policy on."""
    app = build_app(ServerConfig(token=TOKEN, tick_seconds=None))
    app.add_middleware(StrictPolicy)
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Service:
    """A uvicorn server in a thread of this process; it can be stopped and started again on the
    same port with another app, as a restarted service would be."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app: FastAPI | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, app: FastAPI | None = None) -> Service:
        self.app = app or make_app()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self._server.started, "the service did not start"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
        self._server = self._thread = None


@contextlib.contextmanager
def running(app: FastAPI | None = None) -> Iterator[Service]:
    service = Service().start(app)
    try:
        yield service
    finally:
        service.stop()


Page = Any  # playwright.sync_api.Page; the module is imported lazily so tests can skip without it


class Pages:
    """Opens cockpit pages, each in its own browser context (its own local storage)."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[tuple[Any, Page, list[str]]] = []

    def open(
        self,
        session: str,
        lang: str = "en",
        viewport: dict[str, int] | None = None,
        *,
        ready: bool = True,
    ) -> Page:
        context = self.browser.new_context(viewport=viewport or DESKTOP)
        context.add_init_script(WATCH)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        self.opened.append((context, page, errors))
        page.goto(f"{self.base_url}/#token={TOKEN}&session={session}&lang={lang}")
        if ready:
            page.wait_for_selector("body[data-ready='1']", timeout=10_000)
        return page

    def problems(self) -> list[str]:
        found: list[str] = []
        for _, page, errors in self.opened:
            found += errors
            if not page.is_closed():
                found += page.evaluate("window.__problems || []")
        return found

    def close(self) -> None:
        for context, _, _ in self.opened:
            context.close()


Opener = Callable[..., Page]


def say(page: Page, text: str) -> None:
    """Type ``text`` and send it; returns when the assistant's reply is on the page."""
    from playwright.sync_api import expect

    before = page.locator(".msg.bot").count()
    page.fill("#say-input", text)
    page.click("#say-send")
    expect(page.locator(".msg.bot")).to_have_count(before + 1)


def slide(page: Page, path: str, value: float) -> None:
    page.locator(f'label[data-path="{path}"] input').evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


class FlakyLink:
    """A TCP relay in front of the service that can cut every connection through it and turn new
    ones away until released, as a tunnel or a mobile network does; the service keeps running."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.cut = False
        self._links: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if self.cut:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self._lock:
                self._links += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def cut_off(self) -> None:
        """Break every connection now and refuse new ones until :meth:`restore`."""
        self.cut = True
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            _close(link)

    def restore(self) -> None:
        self.cut = False

    def close(self) -> None:
        self.cut_off()
        self._listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(link: socket.socket) -> None:
    with contextlib.suppress(OSError):
        link.shutdown(socket.SHUT_RDWR)
    link.close()
