"""A real Redis for the fleet's tests: Debian's ``redis-server`` on a free loopback port, its
files in a temporary directory, nothing saved. Without the binary the tests are skipped and say
why; ``CODRIVER_REQUIRE_REDIS=1`` (set by ``.ci/run``, which installs it) makes that a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_process import free_port

QUIET = ["--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
"""Nothing saved to disk, in the foreground, only warnings."""


def _missing(why: str) -> None:
    if os.environ.get("CODRIVER_REQUIRE_REDIS") == "1":
        pytest.fail(f"{why}, and CODRIVER_REQUIRE_REDIS=1 asks for the fleet's tests")
    pytest.skip(why)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("redis-server is not installed (Debian: apt-get install redis-server)")
    try:
        import redis
    except ImportError:
        _missing("the redis client is not installed (pip install 'codriver[fleet]')")
    port = free_port()
    where: Path = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(where), *QUIET],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(port=port)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The server, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server) as client:
        client.flushall()
    return redis_server
