"""The KUKSA tests need the [kuksa] extra; without it they are skipped, unless
CODRIVER_REQUIRE_KUKSA=1 (CI's KUKSA run), where a missing extra fails them."""

from __future__ import annotations

import importlib.util
import os


def installed() -> bool:
    """The [kuksa] extra: grpc and kuksa-client's generated v2 stubs."""
    try:
        return importlib.util.find_spec("kuksa.val.v2.val_pb2_grpc") is not None
    except ImportError:  # no kuksa package at all
        return False


if not installed() or importlib.util.find_spec("grpc") is None:
    if os.environ.get("CODRIVER_REQUIRE_KUKSA"):
        raise ImportError("CODRIVER_REQUIRE_KUKSA=1 but the [kuksa] extra is not installed")
    collect_ignore_glob = ["test_*.py"]
