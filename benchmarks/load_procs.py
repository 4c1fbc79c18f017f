"""The load benchmark's processes: a Redis of its own, `codriver serve` with its workers, and how
much processor time each used (read from /proc), so a report says where the time went."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Procs:
    """Processes the benchmark started, stopped at the end."""

    started: list[subprocess.Popen[bytes]] = field(default_factory=list)
    server_pid: int | None = None
    redis_pid: int | None = None
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="codriver-load-")))

    def stop(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cpu_seconds(self) -> dict[str, float]:
        """Processor seconds so far: the service (parent and workers), Redis, this client."""
        server = 0.0
        if self.server_pid is not None:
            server = sum(_cpu(p) for p in [self.server_pid, *worker_pids(self.server_pid)])
        redis = _cpu(self.redis_pid) if self.redis_pid is not None else 0.0
        times = os.times()
        return {"server": server, "redis": redis, "client": times.user + times.system}

    def cpu_used(self, before: dict[str, float]) -> dict[str, float]:
        now = self.cpu_seconds()
        return {k: round(now[k] - before.get(k, 0.0), 2) for k in now}


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def worker_pids(parent: int | None) -> list[int]:
    """uvicorn's worker processes under ``parent`` (not multiprocessing's helpers)."""
    if parent is None:
        return []
    try:
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    except OSError:
        return []
    found = []
    for pid in map(int, children):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            found.append(pid)
    return found


def start_redis(procs: Procs) -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("--store redis needs Debian's redis-server")
    port = free_port()
    quiet = ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(procs.tmp), *quiet],
        stdout=subprocess.DEVNULL,
    )
    procs.started.append(process)
    procs.redis_pid = process.pid
    _wait_for(port, process)
    return f"redis://127.0.0.1:{port}/0"


def start_server(procs: Procs, store: str, workers: int, sessions: int, token: str) -> int:
    """`codriver serve` in its own process; returns its port once it accepts connections."""
    if store == "sqlite":
        store = f"sqlite:{procs.tmp / 'cabins.db'}"
    port = free_port()
    command = [sys.executable, "-c", "from codriver.cli.main import run; run()", "serve"]
    options = ["--port", str(port), "--store", store, "--workers", str(workers)]
    options += ["--max-resident", str(max(64, sessions * 2))]
    process = subprocess.Popen(
        [*command, *options],
        env={**os.environ, "CODRIVER_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.started.append(process)
    procs.server_pid = process.pid
    _wait_for(port, process)
    if workers > 1:  # every worker up, not only the first
        deadline = time.monotonic() + 60
        while len(worker_pids(process.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2.0)
    return port


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} stopped (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start")
