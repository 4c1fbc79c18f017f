"""The application factory: routes, the cockpit's static files, who may call what, the limits and
security headers at the edge, error handling that answers every bad request with a 4xx and a
clear message, and a lifespan that drains turns before stopping."""

from __future__ import annotations

import logging
import mimetypes
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from codriver.assistant import Assistant
from codriver.errors import CodriverError
from codriver.server import api, profiles_api, tokens_api, vision_api, ws
from codriver.server.auth import Access
from codriver.server.cabins import Cabins
from codriver.server.config import ServerConfig
from codriver.server.fallback import CockpitFiles
from codriver.server.headers import SecurityHeaders, add_docs_page
from codriver.server.limits import BodyLimit
from codriver.server.openapi import with_event_schemas
from codriver.server.store import Store, open_store
from codriver.server.turn_route import TurnRoute, refusal

if TYPE_CHECKING:
    from codriver.mcp.config import AppsConfig

mimetypes.add_type("font/woff2", ".woff2")  # the cockpit's font; not in every system's table
log = logging.getLogger("uvicorn.error")  # uvicorn's own logger, so it shows where uvicorn logs
API_VERSION = "1.1"
"""The API's own version: changes when the routes or their shapes do, not with every release."""

DESCRIPTION = """codriver's service: one simulated cabin per session, each with its own assistant.

Every call needs `Authorization: Bearer TOKEN`: the operator token manages every cabin; a cabin's
own token (from opening it, or minted by the operator) reads or drives that cabin only. Turns,
sensor readings and fast-forwards answer with the turn they caused; `/api/sessions/{id}/events`
(WebSocket) streams every event of a session (their shapes are the `*Event` schemas). The cockpit
is served at `/`."""


def build_app(
    config: ServerConfig,
    make_assistant: Callable[[], Assistant] = Assistant,
    *,
    apps: AppsConfig | None = None,
    wall_clock: Callable[[], float] = time.time,
    store: Store | None = None,
) -> FastAPI:
    """The service with its own cabins; ``make_assistant`` builds each cabin's assistant. With
    ``apps``, the third-party apps are connected once when the service starts and mounted in
    every cabin (each cabin its own car and assistant, the apps' connections shared).
    ``wall_clock`` is real time, for tokens' expiry and the failed-authentication window. Cabins
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
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.access = Access(config, wall_clock)
    app.state.cabins = cabins
    app.state.catalog = make_assistant().bus.catalog
    routers = (api.public, api.router, tokens_api.router, profiles_api.router, vision_api.router)
    for router in (*routers, ws.router):
        app.include_router(router)
    add_docs_page(app)
    app.add_exception_handler(CodriverError, _refused)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    static = resources.files("codriver.server").joinpath("static")
    app.mount("/", CockpitFiles(directory=str(static), html=True), name="cockpit")
    app.openapi = with_event_schemas(app)  # type: ignore[method-assign]
    app.add_middleware(TurnRoute, state=app.state)  # inside the size limit
    app.add_middleware(BodyLimit)
    app.build_middleware_stack = _outermost(app)  # type: ignore[method-assign]
    return app


def _outermost(app: FastAPI) -> Callable[[], ASGIApp]:
    """Starlette's stack with the security headers around it all, so that even its own 500
    answers carry them."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build())

    return build_with_headers


async def _with_apps(config: AppsConfig, stack: AsyncExitStack) -> Callable[[], Assistant]:
    from codriver.mcp.apps import Apps
    from codriver.mcp.assistant import assistant_with_apps

    connected = await stack.enter_async_context(await Apps.connect(config))
    for report in connected.reports.values():
        if not report.up:
            log.warning("app %s left out: %s", report.name, report.problem)
    return lambda: assistant_with_apps(connected)


async def _refused(request: Request, exc: CodriverError) -> JSONResponse:
    return refusal(exc)


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
