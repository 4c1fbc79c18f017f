"""Speech recognition on a sherpa-onnx server over its WebSocket protocols (extra ``[voice]``).

sherpa-onnx (github.com/k2-fsa/sherpa-onnx, Apache-2.0, "next-gen Kaldi") runs streaming
Zipformer / Paraformer models and offline Paraformer / SenseVoice / Whisper models on the CPU,
with Mandarin among its best-served languages. :class:`SherpaRecognizer` is a
:class:`~codriver.voice.ports.Recognizer` on either of its servers, with a streaming method for
partial results; the wire protocols are in :mod:`codriver.voice.engines.sherpa_protocol`.
``websockets`` is imported only when a connection is made.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager

from codriver.errors import ConfigError, MissingExtraError
from codriver.text import Lang, detect_lang
from codriver.voice.audio import to_rate
from codriver.voice.engines.sherpa_protocol import (
    END,
    Mode,
    Segments,
    SherpaError,
    confidence,
    float_samples,
    offline_messages,
    parse_offline,
    parse_streaming,
)
from codriver.voice.engines.wslink import Closed, Link, connect, unverified_tls
from codriver.voice.ports import RATE, Audio, Transcript

DEFAULT_URL = "ws://127.0.0.1:6006"
"""Where sherpa-onnx's servers listen by default (``--port 6006``)."""


class SherpaRecognizer:
    """A recogniser on a sherpa-onnx server (``ws://`` or ``wss://``).

    ``mode``: ``streaming`` for ``sherpa-onnx-online-websocket-server`` / ``streaming_server.py``
    (partial text while one speaks), ``offline`` for ``sherpa-onnx-offline-websocket-server`` /
    ``non_streaming_server.py`` (one result per utterance). Audio goes at 16 kHz, the rate of
    sherpa-onnx's models, in messages of ``chunk_ms`` (streaming; ``realtime`` paces them at the
    speed of speech) or of at most ``max_message_bytes`` (offline). ``connect_timeout`` bounds
    the opening handshake, ``read_timeout`` each wait for a reply after the audio has been sent.
    """

    name = "sherpa-onnx"

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        mode: Mode = "streaming",
        chunk_ms: int = 100,
        max_message_bytes: int = 10240,
        realtime: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        verify_tls: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        try:
            import websockets.sync.client  # noqa: F401
        except ImportError as exc:
            raise MissingExtraError("the sherpa-onnx recogniser", "voice") from exc
        if not url.startswith(("ws://", "wss://")):
            raise ConfigError(f"a sherpa-onnx server URL starts with ws:// or wss://, not {url!r}")
        if chunk_ms <= 0 or max_message_bytes < 8:
            raise ConfigError(
                f"sherpa-onnx chunk_ms must be positive and max_message_bytes at least 8: "
                f"{chunk_ms!r}, {max_message_bytes!r}"
            )
        self.url, self.mode, self.realtime = url, mode, realtime
        self.chunk_ms, self.max_message_bytes = chunk_ms, max_message_bytes
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self._ssl = ssl_context or (unverified_tls() if not verify_tls else None)
        self.where = f"the sherpa-onnx server at {url}"

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        """Sends ``audio`` as one utterance and returns the final transcript, with the
        server's confidence where it gives token log-probabilities."""
        pcm = to_rate(audio, RATE).pcm
        if self.mode == "offline":
            return self._offline(pcm, lang)
        step = RATE * self.chunk_ms // 1000 * 2
        *_, final = self.stream((pcm[at : at + step] for at in range(0, len(pcm), step)), lang=lang)
        return final

    def stream(self, chunks: Iterable[bytes], *, lang: Lang | None = None) -> Iterator[Transcript]:
        """Streams one utterance (16-bit mono PCM at 16 kHz, chunks of any size) to the streaming
        server and yields each new partial transcript (``final=False``) as it comes, then the
        final one, last. Raises :class:`SherpaError` when the server is unreachable, silent past
        ``read_timeout``, hangs up before the end, or breaks the protocol."""
        if self.mode != "streaming":
            raise ConfigError("stream() needs mode='streaming'; use transcribe() with 'offline'")
        segments = Segments()
        with self._connect() as link:
            began, sent = time.monotonic(), 0
            for chunk in chunks:
                if self.realtime:  # keep to the clock: never ahead of the speech sent so far
                    time.sleep(max(0.0, began + sent / 2 / RATE - time.monotonic()))
                link.send(float_samples(chunk))
                sent += len(chunk)
                while (message := self._receive(link, 0, segments)) is not None:
                    if (result := parse_streaming(message)) and segments.take(result):
                        yield _transcript(segments.text, lang, False, segments.confidence)
            link.send(END)
            yield from self._finish(link, segments, lang)

    def _finish(self, link: Link, segments: Segments, lang: Lang | None) -> Iterator[Transcript]:
        """Reads after the end of input until the last result: ``Done!`` (C++), an ``is_eof``
        result, or the normal close the Python server makes after its last result."""
        while not segments.eof:
            message = self._receive(link, self.read_timeout, segments, ending=True)
            if message is None:
                break  # closed normally after the last result
            result = parse_streaming(message)
            if result is None:
                break  # Done!
            if segments.take(result) and not result.is_eof:
                yield _transcript(segments.text, lang, False, segments.confidence)
        yield _transcript(segments.text, lang, True, segments.confidence)

    def _receive(
        self, link: Link, timeout: float, segments: Segments, *, ending: bool = False
    ) -> str | bytes | None:
        try:
            message = link.receive(timeout)
        except Closed as closed:
            if ending and closed.normal and segments.texts:
                return None
            raise link.closed(closed) from None
        if message is None and ending:
            raise self._silence()
        return message

    def _offline(self, pcm: bytes, lang: Lang | None) -> Transcript:
        with self._connect() as link:
            for message in offline_messages(pcm, RATE, self.max_message_bytes):
                link.send(message)
            try:
                reply = link.receive(self.read_timeout)
            except Closed as closed:
                raise link.closed(closed) from None
            if reply is None:
                raise self._silence()
            result = parse_offline(reply)
            link.send(END)
        text = result.text.strip()
        return _transcript(text, lang, True, confidence([float(p) for p in result.ys_log_probs]))

    def _silence(self) -> SherpaError:
        return SherpaError(
            f"{self.where} sent nothing for {self.read_timeout:g} s after the end of speech",
            kind="timeout",
            retryable=True,
        )

    def _connect(self) -> AbstractContextManager[Link]:
        return connect(
            self.url,
            where=self.where,
            error=SherpaError,
            tls=self._ssl,
            timeout=self.connect_timeout,
        )


def _transcript(text: str, lang: Lang | None, final: bool, sure: float | None) -> Transcript:
    heard: Lang = lang or (detect_lang(text) if text else "zh")
    return Transcript(text, heard, final=final, confidence=sure)


__all__ = ["DEFAULT_URL", "SherpaError", "SherpaRecognizer"]
