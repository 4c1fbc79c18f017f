"""The gRPC channel to a broker: plain or TLS with the given CA, keepalive pings so that a broker
gone quiet is noticed, quick reconnection, and the bearer token sent with every call."""

from __future__ import annotations

from typing import Any

import grpc

from codriver.errors import InputError
from codriver.vehicle.kuksa.options import KuksaOptions

KEEPALIVE_MS = 5_000
"""A ping when the link has been quiet this long; no answer within as long again drops it."""
_OPTIONS = [
    ("grpc.keepalive_time_ms", KEEPALIVE_MS),
    ("grpc.keepalive_timeout_ms", KEEPALIVE_MS),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_pings_without_data", 0),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
    ("grpc.enable_retries", 0),  # a command is sent once: never again without the occupant
]


def open_channel(options: KuksaOptions) -> Any:
    """An asyncio channel to the broker (nothing is sent until the first call)."""
    settings: list[tuple[str, Any]] = list(_OPTIONS)
    if options.tls_ca is None:
        return grpc.aio.insecure_channel(options.address, options=settings)
    try:
        ca = options.tls_ca.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the CA certificate {options.tls_ca}: {exc}") from exc
    if options.tls_name:
        settings.append(("grpc.ssl_target_name_override", options.tls_name))
    credentials = grpc.ssl_channel_credentials(root_certificates=ca)
    return grpc.aio.secure_channel(options.address, credentials, options=settings)


def call_metadata(token: str | None) -> tuple[tuple[str, str], ...]:
    """The metadata every call carries: the bearer token, when there is one."""
    return () if token is None else (("authorization", f"Bearer {token}"),)
