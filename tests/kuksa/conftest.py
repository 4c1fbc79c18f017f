"""The KUKSA tests need the [kuksa] extra; without it they are skipped, unless
CODRIVER_REQUIRE_KUKSA=1 (CI's KUKSA run), where a missing extra fails them."""

from __future__ import annotations

import importlib.util
import os

if importlib.util.find_spec("kuksa") is None or importlib.util.find_spec("grpc") is None:
    if os.environ.get("CODRIVER_REQUIRE_KUKSA"):
        raise ImportError("CODRIVER_REQUIRE_KUKSA=1 but the [kuksa] extra is not installed")
    collect_ignore_glob = ["test_*.py"]
