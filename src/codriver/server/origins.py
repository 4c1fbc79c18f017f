"""Which browser pages may open an event stream: the service's own origin (the same host and port
the request went to) or one the operator allowed. A client that sends no ``Origin`` is not a
browser page, and is let in on its token alone."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def normal_origin(origin: str) -> str:
    """An origin as browsers send it: lower case, no trailing slash (``--allow-origin`` values)."""
    return origin.strip().rstrip("/").lower()


def origin_allowed(origin: str | None, host: str | None, allowed: tuple[str, ...]) -> bool:
    """May a page of ``origin`` stream from a service reached as ``host`` (the Host header)?"""
    if origin is None:
        return True
    if normal_origin(origin) in {normal_origin(a) for a in allowed}:
        return True
    page = urlsplit(origin)
    if page.scheme not in ("http", "https") or not page.hostname or host is None:
        return False
    served = urlsplit(f"//{host}")
    try:
        page_port, served_port = page.port, served.port
    except ValueError:  # a port that is not a number
        return False
    if page.hostname != (served.hostname or "").lower():
        return False
    if served_port is None:  # Host without a port: the page must be on a default one
        return page_port in (None, DEFAULT_PORTS[page.scheme])
    return (page_port or DEFAULT_PORTS[page.scheme]) == served_port
