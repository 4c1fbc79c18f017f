"""``codriver serve`` as an operator runs it, in its own process: the operator token lives in a file
only its owner can read and never appears in the output (nor does a token sent in a URL); a token
on the command line, a short one, or a bind beyond loopback without TLS is refused with one line;
TLS serves HTTPS and WSS; a real WebSocket client sees the documented close codes."""

from __future__ import annotations

import datetime
import ipaddress
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

SERVE = [sys.executable, "-c", "from codriver.cli.main import run; run()", "serve"]
ENV_TOKEN = "env-operator-token-0123456789"


@dataclass
class Served:
    port: int
    proc: subprocess.Popen[bytes]
    log: Path
    state: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def environment(state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CODRIVER_TOKEN"}
    data = str(state.parent / "data")  # the cabins' default SQLite file: this test's own
    return {**env, "XDG_STATE_HOME": str(state), "XDG_DATA_HOME": data, **extra}


def start(tmp: Path, *args: str, scheme: str = "http", **env: str) -> Served:
    port = free_port()
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*SERVE, "--port", str(port), *args],
            env=environment(tmp / "state", **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(port, proc, log, tmp / "state")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return served
        except OSError:
            time.sleep(0.1)
    stop(served)
    raise AssertionError(f"codriver serve did not start:\n{served.output()}")


def stop(served: Served) -> None:
    if served.proc.poll() is None:
        served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(timeout=30)


def refused(*args: str, **env: str) -> tuple[int, str]:
    """Runs ``codriver serve`` expecting it to refuse; its exit code and what it said."""
    tmp_state = Path(os.environ.get("TMPDIR", "/tmp"))
    done = subprocess.run(
        [*SERVE, "--port", str(free_port()), *args],
        env=environment(tmp_state / "codriver-test-unused", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    process = start(tmp_path_factory.mktemp("serve"))
    yield process
    stop(process)


def test_the_operator_token_is_in_a_private_file_and_nowhere_in_the_output(
    served: Served,
) -> None:
    file = served.state / "codriver" / "serve-token"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    token = file.read_text().strip()
    assert len(token) >= 16
    base = f"http://127.0.0.1:{served.port}"
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}/api/sessions", headers=auth).status_code == 200
    opened = httpx.post(f"{base}/api/sessions", json={"id": "logged"}, headers=auth).json()
    cabin_token = opened["tokens"]["drive"]
    url = f"ws://127.0.0.1:{served.port}/api/sessions/logged/events?token={cabin_token}"
    with connect(url) as ws:
        assert '"hello"' in str(ws.recv(timeout=10))
    httpx.get(f"{base}/api/health?token={token}")
    deadline = time.monotonic() + 10
    while "[accepted]" not in served.output() and time.monotonic() < deadline:
        time.sleep(0.1)  # the log line is written as the stream opens
    output = served.output()
    assert "token=[redacted]" in output
    assert token not in output and cabin_token not in output
    assert str(file) in output  # says where the token is


def test_a_second_start_reuses_the_file(served: Served, tmp_path: Path) -> None:
    token = (served.state / "codriver" / "serve-token").read_text().strip()
    again = start(tmp_path, XDG_STATE_HOME=str(served.state))
    try:
        auth = {"Authorization": f"Bearer {token}"}
        answer = httpx.get(f"http://127.0.0.1:{again.port}/api/sessions", headers=auth)
        assert answer.status_code == 200
    finally:
        stop(again)


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--token", "a-token-on-the-command-line"], {}, "--token is not accepted"),
        ([], {"CODRIVER_TOKEN": "short"}, "at least 16"),
        (["--host", "0.0.0.0"], {"CODRIVER_TOKEN": ENV_TOKEN}, "--insecure"),
        (["--tls-cert", "/nonexistent.pem"], {"CODRIVER_TOKEN": ENV_TOKEN}, "--tls-key"),
    ],
    ids=["token flag", "short token", "exposed in the clear", "half of TLS"],
)
def test_unsafe_starts_are_refused_with_one_line(
    args: list[str], env: dict[str, str], says: str
) -> None:
    code, output = refused(*args, **env)
    assert code == 2
    assert says in output
    assert "Traceback" not in output
    assert "a-token-on-the-command-line" not in output


def test_a_real_client_sees_the_documented_close_codes(served: Served) -> None:
    token = (served.state / "codriver" / "serve-token").read_text().strip()
    base = f"ws://127.0.0.1:{served.port}/api/sessions"
    httpx.post(
        f"http://127.0.0.1:{served.port}/api/sessions",
        json={"id": "codes"},
        headers={"Authorization": f"Bearer {token}"},
    )
    own = f"http://127.0.0.1:{served.port}"
    cases = [
        (f"{base}/codes/events", ["codriver", "bearer.wrong-token"], own, 4401),
        (f"{base}/nope/events", ["codriver", f"bearer.{token}"], own, 4404),
        (f"{base}/codes/events", ["codriver", f"bearer.{token}"], "https://evil.example", 4403),
    ]
    for url, protocols, origin, code in cases:
        ws = connect(url, subprotocols=protocols, origin=origin)  # type: ignore[arg-type]
        with ws, pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == code, url


def test_a_client_message_over_the_limit_closes_the_stream(served: Served) -> None:
    token = (served.state / "codriver" / "serve-token").read_text().strip()
    httpx.post(
        f"http://127.0.0.1:{served.port}/api/sessions",
        json={"id": "big"},
        headers={"Authorization": f"Bearer {token}"},
    )
    url = f"ws://127.0.0.1:{served.port}/api/sessions/big/events"
    with connect(url, subprotocols=["codriver", f"bearer.{token}"]) as ws:  # type: ignore[list-item]
        ws.recv(timeout=10)
        ws.send("x" * 5000)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


# -- TLS ------------------------------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def test_tls_serves_https_and_wss(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    served = start(
        tmp_path, "--tls-cert", str(cert), "--tls-key", str(key), CODRIVER_TOKEN=ENV_TOKEN
    )
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        base = f"https://127.0.0.1:{served.port}"
        auth = {"Authorization": f"Bearer {ENV_TOKEN}"}
        health = httpx.get(f"{base}/api/health", verify=trust)
        assert health.status_code == 200
        assert health.headers["strict-transport-security"].startswith("max-age=")
        httpx.post(f"{base}/api/sessions", json={"id": "tls"}, headers=auth, verify=trust)
        url = f"wss://127.0.0.1:{served.port}/api/sessions/tls/events"
        protocols = ["codriver", f"bearer.{ENV_TOKEN}"]
        with connect(url, subprotocols=protocols, ssl=trust) as ws:  # type: ignore[arg-type]
            assert '"hello"' in str(ws.recv(timeout=10))
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{served.port}/api/health", timeout=5)
    finally:
        stop(served)
    output = served.output()
    assert f"https://localhost:{served.port}/" in output
    assert ENV_TOKEN not in output
    assert "from CODRIVER_TOKEN" in output
