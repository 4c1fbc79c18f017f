"""``codriver mcp serve --http``: the token comes from ``CODRIVER_MCP_TOKEN`` or a file, never
from the command line (a ``--token`` flag is refused with a clear line before anything is served),
and serving on an address other than loopback without TLS is warned about on stderr."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("mcp", reason="the [mcp] extra is not installed")

import httpx2

ROOT = Path(__file__).resolve().parents[2]
SERVE = [sys.executable, "-c", "from codriver.cli.main import run; run()", "mcp", "serve", "--http"]
TOKEN = "file-token-0123456789abcdef"


def started(*args: str, port: int, env: dict[str, str] | None = None) -> tuple[int | None, str]:
    """Starts the server, waits until it listens (or exits), stops it; its exit code (None when
    it was serving) and what it wrote to stderr."""
    environ = {k: v for k, v in os.environ.items() if k != "CODRIVER_MCP_TOKEN"}
    proc = subprocess.Popen(
        [*SERVE, "--port", str(port), *args],
        cwd=ROOT,
        env={**environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    code = None
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("the server neither listened nor exited")
    if code is None:
        proc.terminate()
    _, err = proc.communicate(timeout=10)
    return code, err


def listening(*args: str, port: int, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [*SERVE, "--port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the server did not listen")
            time.sleep(0.05)


def test_a_token_on_the_command_line_is_refused(port: object) -> None:
    number = port()  # type: ignore[operator]
    code, err = started("--token", TOKEN, port=number)
    assert code == 2
    assert err.startswith("error: --token is not accepted")
    assert "CODRIVER_MCP_TOKEN" in err and "--token-file" in err
    assert len(err.strip().splitlines()) == 1


def test_the_token_comes_from_a_file(tmp_path: Path, port: object) -> None:
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    secret.chmod(0o600)
    number = port()  # type: ignore[operator]
    proc = listening("--token-file", str(secret), port=number)
    try:
        url = f"http://127.0.0.1:{number}/mcp"
        hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        kinds = {"Accept": "application/json, text/event-stream"}
        refused = httpx2.post(url, json=hello, headers=kinds)
        allowed = httpx2.post(
            url, json=hello, headers={**kinds, "Authorization": f"Bearer {TOKEN}"}
        )
        assert refused.status_code == 401
        assert allowed.status_code != 401
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"file": "short"}, "error: the token must be at least 16 characters"),
        ({"file": TOKEN, "env": TOKEN}, "error: give the token in CODRIVER_MCP_TOKEN or in"),
        ({"missing": True}, "error: token file"),
    ],
    ids=["too-short", "file-and-environment", "missing-file"],
)
def test_a_bad_token_source_is_one_clear_line(
    tmp_path: Path, port: object, setup: dict[str, object], message: str
) -> None:
    secret = tmp_path / "token"
    if "file" in setup:
        secret.write_text(str(setup["file"]), encoding="utf-8")
    env = {"CODRIVER_MCP_TOKEN": str(setup["env"])} if "env" in setup else None
    code, err = started("--token-file", str(secret), port=port(), env=env)  # type: ignore[operator]
    assert code == 2
    assert err.startswith(message)


@pytest.mark.parametrize(
    ("host", "warned"),
    [("0.0.0.0", True), ("127.0.0.1", False), ("localhost", False)],
    ids=["all-addresses", "loopback", "localhost"],
)
def test_serving_beyond_loopback_without_tls_is_warned_about(
    port: object, host: str, warned: bool
) -> None:
    code, err = started("--host", host, port=port(), env={"CODRIVER_MCP_TOKEN": TOKEN})  # type: ignore[operator]
    assert code is None, err
    assert ("without TLS" in err) is warned
    assert TOKEN not in err


def test_with_tls_there_is_no_warning_and_it_speaks_https(tmp_path: Path, port: object) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    args = ("--host", "0.0.0.0", "--tls-cert", str(cert), "--tls-key", str(key))
    code, err = started(*args, port=port(), env={"CODRIVER_MCP_TOKEN": TOKEN})  # type: ignore[operator]
    assert code is None, err
    assert "without TLS" not in err
    assert "https://0.0.0.0:" in err
