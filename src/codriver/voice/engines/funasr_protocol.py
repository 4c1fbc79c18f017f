"""The FunASR runtime WebSocket protocol: the messages a client sends, the replies it reads, and
how the replies add up to one transcript.

Source: FunASR's ``runtime/docs/websocket_protocol.md`` (github.com/modelscope/FunASR), checked
against the servers that speak it — ``funasr-wss-server-2pass`` (``websocket-server-2pass.cpp``),
``funasr-wss-server`` (``websocket-server.cpp``) and ``runtime/python/websocket/
funasr_wss_server.py``:

1. The client opens the socket and sends a JSON *start* message: ``mode`` (``offline``,
   ``online`` or ``2pass``), ``chunk_size`` (``[5, 10, 5]``: 600 ms chunks, 300 ms look-back and
   look-ahead, in 60 ms units), ``chunk_interval``, ``wav_name``, ``wav_format`` ``"pcm"``,
   ``audio_fs`` (8000 or 16000), ``is_speaking: true``, ``hotwords`` (a JSON object *as a string*,
   word → weight) and ``itn``.
2. Then binary messages of 16-bit mono PCM, each ``60 × chunk_size[1] / chunk_interval`` ms long.
3. Then ``{"is_speaking": false}`` (plus ``"is_end": true``, which the Python server answers with an
   acknowledgement and the C++ servers ignore).

The server replies with JSON objects: ``mode`` (``online`` / ``2pass-online`` for a streaming
piece, ``offline`` / ``2pass-offline`` for a corrected sentence), ``text``, ``wav_name``,
``is_final``, and optionally ``timestamp``, ``stamp_sents``, ``is_end``, ``error``. Streaming
pieces are increments (the reference client concatenates them); a corrected sentence replaces the
pieces heard since the previous sentence. What marks the end differs by server: the C++ 2pass
server sets ``is_final`` only on its last reply (whose ``mode`` may be missing when nothing more
was heard), the C++ offline server sends one ``offline`` reply with ``is_final: false``, and the
Python server sets ``is_final`` on every sentence and ends with ``{"is_end": true}`` when asked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr, ValidationError

from codriver.voice.engines.wslink import SpeechServerError

Mode = Literal["offline", "online", "2pass"]
"""How the server decodes: one pass at the end, streaming only, or streaming then corrected."""

ReplyMode = Literal["offline", "online", "2pass", "2pass-online", "2pass-offline"]
"""``2pass`` appears only in the Python server's end acknowledgement."""

SAMPLE_RATES = (8000, 16000)
"""The PCM rates the servers accept (``audio_fs``)."""

HOTWORD_WEIGHT = 20
"""The weight given to a hotword listed without one (FunASR's examples use 20 and 30)."""

END_MESSAGE = json.dumps({"is_speaking": False, "is_end": True})


class FunASRError(SpeechServerError):
    """The FunASR server could not be reached, went quiet, hung up, or broke the protocol.

    ``kind`` says which; ``retryable`` is True for a refused or dropped connection and a timeout,
    False for a protocol violation or an error the server reported."""


def frame_bytes(chunk_size: tuple[int, int, int], chunk_interval: int, rate: int) -> int:
    """The size of one audio message: ``60 ms × chunk_size[1] / chunk_interval`` of 16-bit PCM
    (960 samples, 1920 bytes, for ``[5, 10, 5]``, interval 10, at 16 kHz)."""
    samples = int(60 * chunk_size[1] / chunk_interval * rate / 1000)
    return max(1, samples) * 2


def hotword_table(words: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Hotwords as the server weighs them; a bare word gets :data:`HOTWORD_WEIGHT`."""
    if isinstance(words, Mapping):
        return {str(word): int(weight) for word, weight in words.items()}
    return {word: HOTWORD_WEIGHT for word in words}


def start_message(
    *,
    mode: Mode,
    chunk_size: tuple[int, int, int],
    chunk_interval: int,
    rate: int,
    wav_name: str,
    hotwords: Mapping[str, int],
    itn: bool,
) -> str:
    """The JSON message that opens an utterance. ``hotwords`` travels as a JSON *string*."""
    return json.dumps(
        {
            "mode": mode,
            "chunk_size": list(chunk_size),
            "chunk_interval": chunk_interval,
            "wav_name": wav_name,
            "wav_format": "pcm",
            "audio_fs": rate,
            "is_speaking": True,
            "hotwords": json.dumps(dict(hotwords), ensure_ascii=False) if hotwords else "",
            "itn": itn,
        },
        ensure_ascii=False,
    )


class ServerReply(BaseModel):
    """One JSON reply from the server; fields the client does not use are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    mode: ReplyMode | None = None
    text: StrictStr = ""
    wav_name: StrictStr | None = None
    is_final: StrictBool = False
    is_end: StrictBool = False
    error: StrictStr | None = None


def parse_reply(data: str | bytes) -> ServerReply:
    """Reads one server message; anything but a JSON object of the documented shape is a
    protocol violation."""
    if isinstance(data, bytes):
        raise _violation(f"a binary message of {len(data)} bytes where JSON text was expected")
    try:
        raw = json.loads(data)
    except ValueError:
        raise _violation(f"a message that is not JSON: {data[:80]!r}") from None
    if not isinstance(raw, dict):
        raise _violation(f"JSON that is not an object: {data[:80]!r}")
    try:
        return ServerReply.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        )
        raise _violation(f"a reply of the wrong shape ({problems}): {data[:80]!r}") from None


def _violation(what: str) -> FunASRError:
    return FunASRError(
        f"FunASR protocol violation: the server sent {what}", kind="protocol", retryable=False
    )


@dataclass(slots=True)
class TranscriptAssembly:
    """Folds the server's replies into the transcript so far and knows when the last has come.

    ``end_ack``: wait for the Python server's ``is_end`` acknowledgement (its ``is_final`` marks
    every sentence); otherwise the first ``is_final`` reply after the end of input is the last (the
    C++ servers), or in ``offline`` mode the first ``offline`` reply (the C++ offline server sends
    it with ``is_final: false``). An ``is_end`` reply always ends the utterance.
    """

    mode: Mode
    end_ack: bool = False
    sentences: str = ""
    """Corrected sentences (``offline`` / ``2pass-offline``), in order."""
    pieces: str = ""
    """Streaming pieces heard since the last corrected sentence."""
    input_ended: bool = False
    done: bool = False

    @property
    def text(self) -> str:
        return self.sentences + self.pieces

    def take(self, reply: ServerReply) -> bool:
        """Adds one reply; says whether the transcript changed. Raises on a reported failure."""
        before = self.text
        if reply.mode in ("online", "2pass-online"):
            self.pieces += reply.text
        elif reply.mode in ("offline", "2pass-offline"):
            self.sentences += reply.text
            self.pieces = ""
        if reply.is_end:
            if reply.error is not None or not reply.is_final:
                reason = reply.error or "it did not finish the utterance"
                raise FunASRError(
                    f"the FunASR server failed: {reason}", kind="server", retryable=False
                )
            self.done = True
        elif self.input_ended and not self.end_ack:
            self.done = reply.is_final or (self.mode == "offline" and reply.mode == "offline")
        return self.text != before
