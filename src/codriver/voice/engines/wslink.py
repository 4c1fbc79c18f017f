"""The WebSocket connection a speech server's client holds: opening it with clear failures
(refused, timed out, TLS), and sending and receiving on it with a dropped connection reported as
the server's failure, not the library's. Shared by the FunASR and sherpa-onnx clients; each says
which error its failures are. ``websockets`` is imported only when a connection is made."""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Literal

from codriver.errors import BackendError

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

FailureKind = Literal["connect", "timeout", "closed", "protocol", "server"]


class SpeechServerError(BackendError):
    """A speech server could not be reached, went quiet, hung up, or broke its protocol.

    ``kind`` says which; ``retryable`` is True for a refused or dropped connection and a timeout,
    False for a protocol violation or an error the server reported."""

    def __init__(self, message: str, *, kind: FailureKind, retryable: bool) -> None:
        super().__init__(message, retryable=retryable)
        self.kind: FailureKind = kind


class Closed(Exception):
    """The server closed the connection; ``normal`` when it did so with a close frame 1000."""

    def __init__(self, normal: bool, reason: str) -> None:
        super().__init__(reason)
        self.normal = normal


@contextmanager
def connect(
    url: str,
    *,
    where: str,
    error: type[SpeechServerError],
    tls: ssl.SSLContext | None,
    subprotocols: Sequence[str] = (),
    timeout: float = 5.0,
) -> Iterator[Link]:
    """An open connection to ``url``; failures to open it raise ``error``."""
    from websockets.exceptions import InvalidHandshake, InvalidURI
    from websockets.sync.client import connect as open_socket
    from websockets.typing import Subprotocol

    with ExitStack() as stack:
        try:
            socket = stack.enter_context(
                open_socket(
                    url,
                    ssl=tls if url.startswith("wss://") else None,
                    subprotocols=[Subprotocol(p) for p in subprotocols] or None,
                    compression=None,  # PCM does not deflate; the C++ servers do not offer it
                    proxy=None,  # the server is on the car's network, not behind a web proxy
                    open_timeout=timeout,
                    ping_interval=None,  # as the servers' own clients; read timeouts watch it
                    close_timeout=1.0,
                )
            )
        except TimeoutError:
            raise error(
                f"{where} did not answer within {timeout:g} s", kind="timeout", retryable=True
            ) from None
        except ssl.SSLError as failure:
            hint = " (a self-signed certificate? pass verify_tls=False)"
            message = f"TLS with {where} failed: {failure}{hint}"
            raise error(message, kind="connect", retryable=False) from None
        except (OSError, InvalidHandshake, InvalidURI) as failure:
            message = f"could not connect to {where}: {failure}"
            raise error(message, kind="connect", retryable=True) from None
        yield Link(socket, where, error)


class Link:
    """An open connection whose failures are the client's ``error``."""

    def __init__(
        self, socket: ClientConnection, where: str, error: type[SpeechServerError]
    ) -> None:
        self.socket, self.where, self.error = socket, where, error

    def send(self, message: str | bytes) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            self.socket.send(message)
        except ConnectionClosed as closed:
            raise self.closed(closed) from None

    def receive(self, timeout: float) -> str | bytes | None:
        """The next message, or None when none comes within ``timeout`` seconds (0: only one
        that has already arrived). Raises :class:`Closed` when the server has closed."""
        from websockets.exceptions import ConnectionClosed, ConnectionClosedOK

        try:
            return self.socket.recv(timeout=timeout)
        except TimeoutError:
            return None
        except ConnectionClosed as closed:
            raise Closed(isinstance(closed, ConnectionClosedOK), str(closed)) from None

    def closed(self, why: object) -> SpeechServerError:
        return self.error(
            f"{self.where} closed the connection before the final result ({why})",
            kind="closed",
            retryable=True,
        )


def unverified_tls() -> ssl.SSLContext:
    """TLS without certificate checks, for a server's self-signed default certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
