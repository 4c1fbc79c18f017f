"""The application factory: routes, the cockpit's static files, error handling that answers every
bad request with a 4xx and a clear message, and a lifespan that drains turns before stopping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from codriver.assistant import Assistant
from codriver.errors import CodriverError
from codriver.server import api, profiles_api, vision_api, ws
from codriver.server.cabins import Cabins
from codriver.server.config import ServerConfig
from codriver.server.openapi import with_event_schemas
from codriver.server.problems import status_of
from codriver.server.store import Store, open_store

if TYPE_CHECKING:
    from codriver.mcp.config import AppsConfig

log = logging.getLogger("uvicorn.error")  # uvicorn's own logger, so it shows where uvicorn logs
MAX_BODY = 64 * 1024
API_VERSION = "1.0"
"""The API's own version: changes when the routes or their shapes do, not with every release."""

DESCRIPTION = """codriver's service: one simulated cabin per session, each with its own assistant.

Every call needs `Authorization: Bearer TOKEN`. Turns, sensor readings and fast-forwards answer
with the turn they caused; `/api/sessions/{id}/events` (WebSocket) streams every event of a session
(their shapes are the `*Event` schemas). The cockpit is served at `/`."""


def build_app(
    config: ServerConfig,
    make_assistant: Callable[[], Assistant] = Assistant,
    *,
    apps: AppsConfig | None = None,
    store: Store | None = None,
) -> FastAPI:
    """The service with its own cabins; ``make_assistant`` builds each cabin's assistant. With
    ``apps``, the third-party apps are connected once when the service starts and mounted in
    every cabin (each cabin its own car and assistant, the apps' connections shared). Cabins
    are kept in ``store``, else in the one ``config.store`` names."""
    cabins = Cabins(config, make_assistant, store or open_store(config.store))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if apps is not None and apps.servers:
                cabins.build_with(await _with_apps(apps, stack))
            await cabins.start()
            yield
            await cabins.shutdown()  # uvicorn has finished the requests in flight by now
        turns = sum(c.turns for c in cabins)
        log.info("codriver stopped: %d turns answered in %d sessions", turns, len(cabins))

    app = FastAPI(
        title="codriver",
        summary="A bilingual in-car assistant: turns, state, sensors, clock, profiles, events.",
        description=DESCRIPTION,
        version=API_VERSION,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.cabins = cabins
    app.state.catalog = make_assistant().bus.catalog
    for router in (api.public, api.router, profiles_api.router, vision_api.router, ws.router):
        app.include_router(router)
    app.add_exception_handler(CodriverError, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    static = resources.files("codriver.server").joinpath("static")
    app.mount("/", StaticFiles(directory=str(static), html=True), name="cockpit")
    app.openapi = with_event_schemas(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit)
    return app


async def _with_apps(config: AppsConfig, stack: AsyncExitStack) -> Callable[[], Assistant]:
    from codriver.mcp.apps import Apps
    from codriver.mcp.assistant import assistant_with_apps

    connected = await stack.enter_async_context(await Apps.connect(config))
    for report in connected.reports.values():
        if not report.up:
            log.warning("app %s left out: %s", report.name, report.problem)
    return lambda: assistant_with_apps(connected)


async def _refused(request: Request, exc: CodriverError) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status_of(exc))


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)


class BodyLimit:
    """Refuse request bodies over ``MAX_BODY`` bytes with a 413 (plain ASGI, so it costs little)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body over 64 KiB"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
