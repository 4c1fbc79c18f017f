"""The sherpa-onnx WebSocket protocols: what a client sends and how the replies add up to one
transcript, for both of sherpa-onnx's recognition servers.

Source: github.com/k2-fsa/sherpa-onnx, the servers ``sherpa-onnx-online-websocket-server``
(``sherpa-onnx/csrc/online-websocket-server-impl.cc``), ``sherpa-onnx-offline-websocket-server``
(``offline-websocket-server-impl.cc``), the Python ones ``python-api-examples/streaming_server.py``
and ``non_streaming_server.py``, and the result JSON of ``online-recognizer.cc`` and
``offline-stream.cc``.

**Streaming** (online server): the client sends binary messages of float32 little-endian samples
at the server's rate (16 kHz for its models; the server does not resample), of any length, then
the text ``Done``. The server answers with JSON text messages, each the whole text so far of the
current ``segment`` (a segment ends at an endpoint, and the next has the next number): the C++
server sends ``text``, ``tokens``, ``timestamps``, ``ys_probs`` (the log-probability of each
token), ``lm_probs``, ``context_scores``, ``segment``, ``words``, ``start_time``, ``is_final``
(the segment ended) and ``is_eof`` (the last result), then the text ``Done!``; the Python server
sends ``text`` and ``segment`` only, and closes the connection after its last result.

**Non-streaming** (offline server): the client sends one binary message that starts with the
sample rate and the number of bytes of samples to follow (two int32, little-endian) and goes on
with float32 samples, split over further messages if long; the server answers with one text
message per utterance — the C++ server a JSON object (``text``, ``tokens``, ``timestamps``,
``ys_log_probs``, ``lang``, …), the Python server the bare text, or ``<EMPTY>`` when it heard
nothing. The client ends the session with the text ``Done``.

Hotwords are the servers' start-up options (``--hotwords-file``), not per utterance.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from codriver.voice.engines.wslink import SpeechServerError

Mode = Literal["streaming", "offline"]
"""Which server: the streaming (online) one, or the non-streaming (offline) one."""

END = "Done"
"""The client's end of input (streaming) or of the session (offline)."""
SERVER_DONE = "Done!"
"""The C++ streaming server's last message."""
EMPTY = "<EMPTY>"
"""The Python non-streaming server's answer when it heard nothing."""


class SherpaError(SpeechServerError):
    """The sherpa-onnx server could not be reached, went quiet, hung up, or broke the protocol."""


def float_samples(pcm: bytes) -> bytes:
    """16-bit PCM as the float32 little-endian samples (-1…1) the servers read."""
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype("<f4") / 32768
    return samples.astype("<f4").tobytes()


def offline_messages(pcm: bytes, rate: int, max_bytes: int) -> list[bytes]:
    """One utterance for the non-streaming server: the header and the samples, cut into
    messages of at most ``max_bytes``."""
    samples = float_samples(pcm)
    payload = struct.pack("<ii", rate, len(samples)) + samples
    return [payload[at : at + max_bytes] for at in range(0, len(payload), max_bytes)]


class StreamingResult(BaseModel):
    """One result of the streaming server; fields the client does not use are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    text: StrictStr
    segment: StrictInt = 0
    is_final: StrictBool = False
    is_eof: StrictBool = False
    ys_probs: list[StrictFloat | StrictInt] = []


class OfflineResult(BaseModel):
    """The C++ non-streaming server's result."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    text: StrictStr
    ys_log_probs: list[StrictFloat | StrictInt] = []


def violation(what: str) -> SherpaError:
    message = f"sherpa-onnx protocol violation: the server sent {what}"
    return SherpaError(message, kind="protocol", retryable=False)


def _json(data: str) -> object:
    try:
        return json.loads(data)
    except ValueError:
        raise violation(f"a message that is not JSON: {data[:80]!r}") from None


def parse_streaming(data: str | bytes) -> StreamingResult | None:
    """One streaming reply; None for the closing ``Done!``."""
    if isinstance(data, bytes):
        raise violation(f"a binary message of {len(data)} bytes where JSON text was expected")
    if data == SERVER_DONE:
        return None
    try:
        return StreamingResult.model_validate(_json(data))
    except ValidationError as error:
        raise _wrong_shape(error, data) from None


def parse_offline(data: str | bytes) -> OfflineResult:
    """The non-streaming reply: the C++ server's JSON, or the Python server's bare text."""
    if isinstance(data, bytes):
        raise violation(f"a binary message of {len(data)} bytes where text was expected")
    if not data.lstrip().startswith("{"):
        return OfflineResult(text="" if data == EMPTY else data)
    try:
        return OfflineResult.model_validate(_json(data))
    except ValidationError as error:
        raise _wrong_shape(error, data) from None


def _wrong_shape(error: ValidationError, data: str) -> SherpaError:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    )
    return violation(f"a result of the wrong shape ({problems}): {data[:80]!r}")


def confidence(log_probs: Sequence[float]) -> float | None:
    """The geometric mean of the tokens' probabilities, or None when the server gave none."""
    return math.exp(sum(log_probs) / len(log_probs)) if log_probs else None


@dataclass(slots=True)
class Segments:
    """Folds streaming results into the transcript: the latest text of each segment, in order."""

    texts: dict[int, str] = field(default_factory=dict)
    probs: dict[int, list[float]] = field(default_factory=dict)
    eof: bool = False

    @property
    def text(self) -> str:
        return "".join(self.texts[k] for k in sorted(self.texts)).strip()

    @property
    def confidence(self) -> float | None:
        return confidence([p for k in sorted(self.probs) for p in self.probs[k]])

    def take(self, result: StreamingResult) -> bool:
        """Adds one result; says whether the transcript changed."""
        before = self.text
        self.texts[result.segment] = result.text
        self.probs[result.segment] = [float(p) for p in result.ys_probs]
        self.eof = self.eof or result.is_eof
        return self.text != before
