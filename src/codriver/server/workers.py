"""Several workers on one port: each its own process with its own listening socket
(``SO_REUSEPORT``), so the kernel spreads new connections evenly between them. (uvicorn's own
workers share one socket, and the first to wake accepts every connection waiting: clients that
connect together, as head units keeping a connection open do, pile onto one worker.)

The parent starts the workers, starts another when one dies, and on SIGINT or SIGTERM passes the
signal on and waits for each to finish its requests in flight.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from typing import Any

from codriver.errors import ConfigError
from codriver.server.config import ServerConfig


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other workers may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _work(config: str, sock: socket.socket, settings: dict[str, Any], ready: Any) -> None:
    """One worker on its own socket, with its own application and store client; ``ready`` is set
    once it serves."""
    import uvicorn

    from codriver.server.app import build_app

    app = build_app(ServerConfig(**json.loads(config)))
    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, **settings))

    def tell_when_started() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.1)
        if server.started:
            ready.set()

    threading.Thread(target=tell_when_started, daemon=True).start()
    server.run(sockets=[sock])


class Workers:
    """The parent of the workers. It holds every worker's socket, so connections the kernel
    hands to a worker that is starting, or being replaced, wait in its queue instead of being
    refused."""

    def __init__(self, config: ServerConfig, host: str, port: int, settings: dict[str, Any]):
        self.config = json.dumps(dataclasses.asdict(config))
        self.where = (host, port)
        self.settings = settings
        self.context = multiprocessing.get_context("spawn")
        self.stopping = threading.Event()
        self.sockets: list[socket.socket] = []
        self.processes: list[tuple[BaseProcess, Any]] = []

    def run(self, count: int) -> int:
        """Serve until SIGINT or SIGTERM; 0 after a clean stop, else the failing worker's code."""
        self.sockets = [listening_socket(*self.where) for _ in range(count)]
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stopping.set())
        self.processes = [self._start(n) for n in range(count)]
        failed = 0
        while not self.stopping.wait(0.5) and not failed:
            failed = self._replace_the_dead()
        for process, _ in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process, _ in self.processes:
            process.join(timeout=30)
        for sock in self.sockets:
            sock.close()
        return failed

    def _start(self, n: int) -> tuple[BaseProcess, Any]:
        ready = self.context.Event()
        args = (self.config, self.sockets[n], self.settings, ready)
        process = self.context.Process(target=_work, args=args, daemon=False)
        process.start()
        return process, ready

    def _replace_the_dead(self) -> int:
        """Start another worker for each that died. One that exited by itself before it served
        could not start (its store, say): then the service stops rather than try forever; one
        killed by a signal is replaced whenever it died."""
        for n, (process, ready) in enumerate(self.processes):
            if process.is_alive():
                continue
            code = process.exitcode or 0
            if code > 0 and not ready.is_set():
                print(f"worker {process.pid} could not start (exit {code})", file=sys.stderr)
                return code
            print(f"worker {process.pid} ended (exit {code}): starting another", file=sys.stderr)
            self.processes[n] = self._start(n)
        return 0
