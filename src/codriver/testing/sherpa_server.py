"""A local stand-in for sherpa-onnx's recognition servers, speaking their WebSocket protocols on
127.0.0.1 (see :mod:`codriver.voice.engines.sherpa_protocol`).

``mode="streaming"`` answers as ``sherpa-onnx-online-websocket-server`` (``flavour="cpp"``: full
result JSON, ``is_final`` at an endpoint, ``is_eof`` and then ``Done!`` at the end) or as
``streaming_server.py`` (``"python"``: ``text`` and ``segment`` only, a close after the last
result). ``mode="offline"`` answers as ``sherpa-onnx-offline-websocket-server`` (a JSON result)
or ``non_streaming_server.py`` (the bare text, ``<EMPTY>`` for nothing). The text is decided by
``hear``, a function of the 16-bit PCM (the helpers of :mod:`codriver.testing.funasr_server`
fit), so tests are deterministic::

    with SherpaStandIn(lookup({pcm: "打开车窗"})) as server:
        assert SherpaRecognizer(server.url).transcribe(Audio(pcm)).text == "打开车窗"

It can misbehave on request, and records each connection as a :class:`SherpaSession`.
"""

from __future__ import annotations

import json
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

import numpy as np
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from codriver.testing.funasr_server import Hear, constant, growing, lookup

Mode = Literal["streaming", "offline"]
Flavour = Literal["cpp", "python"]
Misbehaviour = Literal[
    "silent", "close", "drop", "garbage", "binary", "wrong_shape", "stall_handshake"
]
RATE = 16_000


@dataclass(slots=True)
class SherpaSession:
    """What one connection sent and was sent."""

    message_sizes: list[int] = field(default_factory=list)
    audio: bytearray = field(default_factory=bytearray)
    """The samples received, as 16-bit PCM."""
    headers: list[tuple[int, int]] = field(default_factory=list)
    """Offline: each utterance's (sample rate, byte count)."""
    texts: list[str] = field(default_factory=list)
    """The text messages received (``Done``)."""
    replies: list[object] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class SherpaStandIn:
    """A sherpa-onnx-protocol server on ``127.0.0.1`` (a free port), serving until closed.

    ``partial_every_ms``: a streaming result per that much audio. ``endpoint_ms``: a run of
    digital silence this long ends a segment (None: one segment). ``log_prob``: the C++ server's
    log-probability of each token (None: none given)."""

    def __init__(
        self,
        hear: Hear,
        *,
        mode: Mode = "streaming",
        flavour: Flavour = "cpp",
        partial_every_ms: int = 200,
        endpoint_ms: int | None = None,
        log_prob: float | None = -0.1,
        misbehave: Misbehaviour | None = None,
        misbehave_after: int = 1,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.hear, self.mode, self.flavour = hear, mode, flavour
        self.partial_every_ms, self.endpoint_ms, self.log_prob = (
            partial_every_ms,
            endpoint_ms,
            log_prob,
        )
        self.misbehave, self.misbehave_after = misbehave, misbehave_after
        self.sessions: list[SherpaSession] = []
        self._closing = threading.Event()
        self._server: Server = serve(
            self._handle,
            "127.0.0.1",
            0,
            ssl=ssl_context,
            process_request=self._stall if misbehave == "stall_handshake" else None,
            ping_interval=None,
            max_queue=None,
        )
        self._scheme = "wss" if ssl_context is not None else "ws"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self._server.socket.getsockname()[1]}"

    def close(self) -> None:
        if not self._closing.is_set():
            self._closing.set()
            self._server.shutdown()

    def __enter__(self) -> SherpaStandIn:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _stall(self, connection: ServerConnection, request: Request) -> Response | None:
        self._closing.wait(30.0)
        return None

    def _handle(self, connection: ServerConnection) -> None:
        session = SherpaSession()
        self.sessions.append(session)
        talk = _Streaming(self, connection, session) if self.mode == "streaming" else None
        try:
            if talk is not None:
                talk.run()
            else:
                _Offline(self, connection, session).run()
            if self.misbehave == "silent":  # keeps the line open, answering nothing
                for _ in connection:
                    pass
        except ConnectionClosed:
            return


class _Exchange:
    def __init__(self, server: SherpaStandIn, connection: ServerConnection, session: SherpaSession):
        self.server, self.connection, self.session = server, connection, session
        self.messages = 0

    def hang_up(self) -> bool:
        """Stages a hang-up after ``misbehave_after`` binary messages."""
        self.messages += 1
        if self.messages != self.server.misbehave_after:
            return False
        if self.server.misbehave == "close":
            self.connection.close(1000, "")
        elif self.server.misbehave == "drop":
            self.connection.socket.shutdown(socket.SHUT_RDWR)
        else:
            return False
        return True

    def answer(self, body: dict[str, object] | str) -> None:
        """Sends a result, or the fault staged in its place."""
        fault = self.server.misbehave
        if fault == "silent":
            return
        message: str | bytes
        if fault == "garbage":
            message = "<html>502 Bad Gateway</html>"
        elif fault == "binary":
            message = b"\x00\x01\x02\x03"
        elif fault == "wrong_shape" and isinstance(body, dict):
            message = json.dumps({**body, "text": 42})
        else:
            message = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        self.session.replies.append(body)
        self.connection.send(message)

    def tokens(self, text: str) -> dict[str, object]:
        """The C++ result's token fields for ``text`` (one token per character)."""
        probs = [] if self.server.log_prob is None else [self.server.log_prob] * len(text)
        return {"tokens": list(text), "timestamps": [0.1 * i for i in range(len(text))]} | (
            {"probs": probs}
        )


def _pcm(samples: bytes) -> bytes:
    floats = np.frombuffer(samples, dtype="<f4")
    return bytes((np.clip(floats, -1.0, 1.0) * 32768).clip(-32768, 32767).astype("<i2").tobytes())


class _Streaming(_Exchange):
    def __init__(self, server: SherpaStandIn, connection: ServerConnection, session: SherpaSession):
        super().__init__(server, connection, session)
        self.segment, self.audio, self.since, self.silent_ms = 0, bytearray(), 0, 0.0

    def run(self) -> None:
        for message in self.connection:
            if isinstance(message, str):
                self.session.texts.append(message)
                if message == "Done":
                    self.finish()
                    return
                self.session.problems.append(f"an unexpected text message {message!r}")
                continue
            if len(message) % 4:
                self.session.problems.append(f"{len(message)} bytes: not float32 samples")
            self.session.message_sizes.append(len(message))
            if self.hang_up():
                return
            self.take(_pcm(message[: len(message) // 4 * 4]))

    def take(self, pcm: bytes) -> None:
        self.session.audio += pcm
        self.audio += pcm
        ms = len(pcm) / 2 / RATE * 1000
        self.silent_ms = 0.0 if any(pcm) else self.silent_ms + ms
        self.since += len(pcm)
        endpoint = self.server.endpoint_ms
        if endpoint is not None and self.silent_ms >= endpoint and self.voiced():
            self.result(final=True, eof=False)
            self.segment, self.audio, self.since = self.segment + 1, bytearray(), 0
        elif self.since / 2 / RATE * 1000 >= self.server.partial_every_ms:
            self.since = 0
            self.result(final=False, eof=False)

    def voiced(self) -> bool:
        return any(self.audio)

    def result(self, *, final: bool, eof: bool) -> None:
        text = self.server.hear(bytes(self.audio))
        body: dict[str, object] = {"text": text, "segment": self.segment}
        if self.server.flavour == "cpp":
            fields = self.tokens(text)
            body |= {"tokens": fields["tokens"], "timestamps": fields["timestamps"]}
            body |= {"ys_probs": fields["probs"], "lm_probs": [], "context_scores": []}
            body |= {"words": [], "start_time": 0.0, "is_final": final, "is_eof": eof}
        self.answer(body)

    def finish(self) -> None:
        self.result(final=True, eof=True)
        if self.server.flavour == "cpp":
            self.answer("Done!")
        else:
            self.connection.close(1000, "")


class _Offline(_Exchange):
    def run(self) -> None:
        expected, received = 0, bytearray()
        for message in self.connection:
            if isinstance(message, str):
                self.session.texts.append(message)
                self.connection.close(1000, "Done" if message == "Done" else "Invalid payload")
                return
            self.session.message_sizes.append(len(message))
            if self.hang_up():
                return
            if not expected:
                if len(message) < 8:
                    self.connection.close(1000, "Payload is too short")
                    return
                rate, expected = struct.unpack("<ii", message[:8])
                self.session.headers.append((rate, expected))
                message = message[8:]
            received += message
            if len(received) >= expected:
                self.reply(_pcm(bytes(received[:expected])))
                expected, received = 0, bytearray()

    def reply(self, pcm: bytes) -> None:
        self.session.audio += pcm
        text = self.server.hear(pcm)
        if self.server.flavour == "python":
            self.answer(text or "<EMPTY>")
            return
        fields = self.tokens(text)
        body: dict[str, object] = {"lang": "", "emotion": "", "event": "", "text": text}
        body |= {"timestamps": fields["timestamps"], "durations": [], "tokens": fields["tokens"]}
        self.answer(body | {"ys_log_probs": fields["probs"], "words": []})


__all__ = [
    "Flavour",
    "Hear",
    "Misbehaviour",
    "SherpaSession",
    "SherpaStandIn",
    "constant",
    "growing",
    "lookup",
]
