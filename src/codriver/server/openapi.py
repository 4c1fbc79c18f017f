"""The OpenAPI schema, with the WebSocket events' shapes added as components (OpenAPI has no
words for a WebSocket stream, so the schemas are there for clients to generate types from)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

from codriver.server.event_models import Event

REF = "#/components/schemas/{model}"


def with_event_schemas(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An ``app.openapi`` that builds the schema once, event schemas included."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            events = TypeAdapter(Event).json_schema(ref_template=REF)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(events.pop("$defs", {}))
            components["Event"] = events
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi
