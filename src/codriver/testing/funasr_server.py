"""A local stand-in for a FunASR runtime server, speaking its WebSocket protocol on 127.0.0.1.

It takes the start message, collects the PCM frames, streams partial pieces as the audio comes,
closes a sentence at a pause (optional) and answers the end of speech with the final result, in
the manner of either of FunASR's servers (``flavour``): the C++ ``funasr-wss-server-2pass`` /
``funasr-wss-server`` of the Docker images, or the Python ``funasr_wss_server.py``. The text is
decided by ``hear``, a function of the audio, so tests are deterministic::

    with FunASRStandIn(lookup({pcm: "打开车窗"})) as server:
        heard = FunASRRecognizer(server.url).transcribe(Audio(pcm))
    assert server.sessions[0].config["mode"] == "2pass"

It can also misbehave on request (hang up, go silent, send garbage) to test a client's errors.
Every connection is recorded as a :class:`Session`. Needs ``websockets`` (the ``[voice]`` extra).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve
from websockets.typing import Subprotocol

Hear = Callable[[bytes], str]
"""The text heard in one sentence's PCM so far (16-bit mono, at the start message's rate)."""

Flavour = Literal["cpp", "python"]

Misbehaviour = Literal[
    "silent",  # reads everything, answers nothing
    "close",  # a normal close (1000) after ``misbehave_after`` frames, as the Python server's reset
    "drop",  # the TCP connection cut after ``misbehave_after`` frames, no close frame
    "garbage",  # a text message that is not JSON instead of the final result
    "binary",  # a binary message instead of the final result
    "wrong_shape",  # a final result whose ``text`` is a number
    "fail",  # the Python server's failed acknowledgement (``is_end`` with an ``error``)
    "stall_handshake",  # accepts the TCP connection, never completes the WebSocket handshake
]


def constant(text: str) -> Hear:
    """Hears ``text`` in any audio at all (and nothing in none)."""
    return lambda pcm: text if pcm else ""


def growing(text: str, chars_per_second: float = 5.0, rate: int = 16_000) -> Hear:
    """Hears ``text`` one character per ``1 / chars_per_second`` of audio, so partials grow."""
    return lambda pcm: text[: int(len(pcm) / 2 / rate * chars_per_second)]


def lookup(table: Mapping[bytes, str], default: str = "") -> Hear:
    """Hears the text filed under the exact PCM (by its SHA-256), ``default`` for any other."""
    by_digest = {hashlib.sha256(pcm).hexdigest(): text for pcm, text in table.items()}
    return lambda pcm: by_digest.get(hashlib.sha256(pcm).hexdigest(), default)


@dataclass(slots=True)
class Session:
    """What one connection sent and was sent."""

    subprotocol: str | None
    config: dict[str, object] | None = None
    """The start message as it arrived."""
    controls: list[dict[str, object]] = field(default_factory=list)
    """The JSON messages after the start message (the end of speech)."""
    frame_sizes: list[int] = field(default_factory=list)
    audio: bytearray = field(default_factory=bytearray)
    replies: list[object] = field(default_factory=list)
    """What the stand-in sent, parsed where it was JSON."""
    problems: list[str] = field(default_factory=list)
    """Protocol faults of the client's (a binary frame before the start message, say)."""

    @property
    def bytes_received(self) -> int:
        return len(self.audio)


class FunASRStandIn:
    """A FunASR-protocol server on ``127.0.0.1`` (a free port), serving until :meth:`close`.

    ``partial_every``: send a streaming piece every that many audio frames (None: the start
    message's ``chunk_interval``, as the Python server decodes; 0: never). ``pause_ms``: a run of
    digital silence (zero samples) this long ends a sentence (None: one sentence per utterance).
    ``misbehave`` picks a fault to stage. With ``ssl_context`` it serves ``wss://``.
    """

    def __init__(
        self,
        hear: Hear,
        *,
        flavour: Flavour = "cpp",
        partial_every: int | None = None,
        pause_ms: int | None = None,
        misbehave: Misbehaviour | None = None,
        misbehave_after: int = 1,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.hear, self.flavour = hear, flavour
        self.partial_every, self.pause_ms = partial_every, pause_ms
        self.misbehave, self.misbehave_after = misbehave, misbehave_after
        self.sessions: list[Session] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: Server = serve(
            self._handle,
            "127.0.0.1",
            0,
            ssl=ssl_context,
            subprotocols=[Subprotocol("binary")],  # as FunASR's Python server: required
            process_request=self._stall if misbehave == "stall_handshake" else None,
            ping_interval=None,
            max_queue=None,  # always read on, so a close from the client is seen at once
        )
        self._scheme = "wss" if ssl_context is not None else "ws"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self._server.socket.getsockname()[1]}"

    def close(self) -> None:
        """Stops serving and closes every open connection."""
        if not self._closing.is_set():
            self._closing.set()
            self._server.shutdown()

    def __enter__(self) -> FunASRStandIn:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _stall(self, connection: ServerConnection, request: Request) -> Response | None:
        self._closing.wait(30.0)
        return None

    def _handle(self, connection: ServerConnection) -> None:
        session = Session(subprotocol=connection.subprotocol)
        with self._lock:
            self.sessions.append(session)
        _Conversation(self, connection, session).run()


class _Conversation:
    """One connection's exchange: the protocol state of the utterance under way."""

    def __init__(self, server: FunASRStandIn, connection: ServerConnection, session: Session):
        self.server, self.connection, self.session = server, connection, session
        self.sentence = bytearray()  # the audio of the sentence under way
        self.emitted = ""  # the streaming text already sent for it
        self.silent_s = 0.0  # the trailing run of digital silence
        self.voiced = False  # whether the sentence has any non-silent audio
        self.frames = 0

    @property
    def mode(self) -> str:
        return str((self.session.config or {}).get("mode", "2pass"))

    @property
    def rate(self) -> int:
        rate = (self.session.config or {}).get("audio_fs", 16_000)
        return rate if isinstance(rate, int) and rate > 0 else 16_000

    def run(self) -> None:
        try:
            for message in self.connection:
                if isinstance(message, bytes):
                    self.on_audio(message)
                else:
                    self.on_text(message)
                if self.session.problems:
                    self.connection.close(1002, self.session.problems[0][:120])
                    return
        except ConnectionClosed:  # the client hung up (or a staged fault cut the line)
            return

    def on_text(self, message: str) -> None:
        try:
            parsed = json.loads(message)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            self.session.problems.append(f"a text message that is not a JSON object: {message!r}")
        elif self.session.config is None:
            self.session.config = parsed
        else:
            self.session.controls.append(parsed)
            if parsed.get("is_speaking") is False:
                self.on_end(bool(parsed.get("is_end")))

    def on_audio(self, frame: bytes) -> None:
        if self.session.config is None:
            self.session.problems.append("audio before the start message")
            return
        self.session.frame_sizes.append(len(frame))
        self.session.audio += frame
        self.sentence += frame
        self.frames += 1
        if self.frames == self.server.misbehave_after and self.hang_up():
            return
        if not any(frame):
            self.silent_s += len(frame) / 2 / self.rate
        else:
            self.silent_s, self.voiced = 0.0, True
        pause = self.server.pause_ms
        one_pass = self.mode == "offline" and self.server.flavour == "cpp"  # it has no VAD cuts
        if pause is not None and self.voiced and self.silent_s * 1000 >= pause and not one_pass:
            self.close_sentence(final=False)
        elif self.mode != "offline" and self.frames % self.cadence() == 0:
            self.stream_piece(final=False)

    def cadence(self) -> int:
        every = self.server.partial_every
        if every is None:
            interval = (self.session.config or {}).get("chunk_interval", 10)
            every = interval if isinstance(interval, int) and interval > 0 else 10
        return every if every > 0 else 1 << 62

    def hang_up(self) -> bool:
        if self.server.misbehave == "close":
            self.connection.close(1000, "")
        elif self.server.misbehave == "drop":
            self.connection.socket.shutdown(socket.SHUT_RDWR)
        else:
            return False
        return True

    def stream_piece(self, *, final: bool) -> None:
        """Sends what is newly heard in the sentence under way, if anything."""
        heard = self.server.hear(bytes(self.sentence))
        if heard.startswith(self.emitted) and len(heard) > len(self.emitted):
            piece, self.emitted = heard[len(self.emitted) :], heard
            label = "online" if self.server.flavour == "python" and self.mode == "online" else None
            self.reply({"mode": label or "2pass-online", "text": piece, "is_final": final})

    def close_sentence(self, *, final: bool) -> None:
        """A pause, or the Python server's end of speech, closes the sentence under way: its
        corrected text (``is_final`` on every sentence from the Python server), or in ``online``
        mode the rest of its pieces."""
        if self.mode == "online":
            self.stream_piece(final=final)
        elif self.sentence:
            label = "offline" if self.mode == "offline" else "2pass-offline"
            heard = self.server.hear(bytes(self.sentence))
            self.reply({"mode": label, "text": heard, "is_final": self.server.flavour == "python"})
        self.new_sentence()

    def new_sentence(self) -> None:
        self.sentence, self.emitted, self.silent_s, self.voiced = bytearray(), "", 0.0, False

    def on_end(self, ack_asked: bool) -> None:
        misbehave = self.server.misbehave
        if misbehave in ("garbage", "binary", "wrong_shape", "fail"):
            self.stage(misbehave)
            return
        if self.server.flavour == "python":
            self.close_sentence(final=True)
            if ack_asked:
                self.reply({"mode": self.mode, "is_final": True, "is_end": True})
        elif self.mode == "offline":  # funasr-wss-server: one reply, is_final false
            heard = self.server.hear(bytes(self.session.audio))
            self.reply({"mode": "offline", "text": heard, "is_final": False})
        else:  # funasr-wss-server-2pass: the last reply alone is final; no mode when nothing new
            self.finish_cpp_2pass()
        self.frames = 0

    def finish_cpp_2pass(self) -> None:
        heard = self.server.hear(bytes(self.sentence)) if self.sentence else ""
        if self.mode == "online":
            new = heard[len(self.emitted) :] if heard.startswith(self.emitted) else ""
            reply = {"mode": "2pass-online", "text": new} if new else {"text": ""}
        else:
            reply = {"mode": "2pass-offline", "text": heard} if heard else {"text": ""}
        self.reply({**reply, "is_final": True})
        self.new_sentence()

    def stage(self, fault: Misbehaviour) -> None:
        if fault == "garbage":
            self.send("<html>502 Bad Gateway</html>")
        elif fault == "binary":
            self.send(b"\x00\x01\x02\x03")
        elif fault == "wrong_shape":
            self.reply({"mode": "2pass-offline", "text": 42, "is_final": True})
        else:
            error = "offline inference failed: stand-in fault"
            self.reply({"mode": self.mode, "is_final": False, "is_end": True, "error": error})

    def reply(self, body: dict[str, object]) -> None:
        wav_name = (self.session.config or {}).get("wav_name", "wav-default-id")
        body = {**body, "wav_name": wav_name}
        if self.server.flavour == "cpp":
            body["timestamp"] = int(time.time() * 1000)  # the C++ server's session start time
        self.send(json.dumps(body, ensure_ascii=False))

    def send(self, message: str | bytes) -> None:
        if self.server.misbehave == "silent":
            return
        parsed: object = message
        if isinstance(message, str):
            with contextlib.suppress(ValueError):
                parsed = json.loads(message)
        self.session.replies.append(parsed)
        self.connection.send(message)


__all__ = [
    "Flavour",
    "FunASRStandIn",
    "Hear",
    "Misbehaviour",
    "Session",
    "constant",
    "growing",
    "lookup",
]
