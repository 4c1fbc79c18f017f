"""Reaching a Redis store before the service starts: a clear error for a wrong address, a server
that is down or one too old, and a missing extra."""

from __future__ import annotations

from urllib.parse import urlsplit

from codriver.errors import MissingExtraError
from codriver.server.store.base import StoreError

MIN_VERSION = (6, 2)
"""Redis 6.2 or later (the store's scripts use nothing newer)."""


def shown(spec: str) -> str:
    """The store's address without a password."""
    parts = urlsplit(spec)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check(spec: str) -> None:
    try:
        import redis
    except ImportError as exc:
        raise MissingExtraError("a Redis store", "fleet") from exc
    client = redis.Redis.from_url(spec, socket_connect_timeout=3, socket_timeout=3)
    try:
        info = client.info("server")
    except redis.RedisError as exc:
        raise StoreError(f"cannot reach the store {shown(spec)}: {exc}", retryable=False) from exc
    finally:
        client.close()
    version = tuple(int(p) for p in str(info.get("redis_version", "0")).split(".")[:2])
    if version < MIN_VERSION:
        raise StoreError(
            f"{shown(spec)} runs Redis {info.get('redis_version')}: needs 6.2 or later"
        )
