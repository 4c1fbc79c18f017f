"""Speech recognition on a FunASR runtime server over its WebSocket protocol (extra ``[voice]``).

FunASR (github.com/modelscope/FunASR) is the open Chinese recognition stack people deploy
themselves: ``funasr-wss-server-2pass`` streams partial text while one speaks and corrects each
sentence at its end. :class:`FunASRRecognizer` is a :class:`~codriver.voice.ports.Recognizer` on
such a server, with a streaming method for partial results; the wire protocol is in
:mod:`codriver.voice.engines.funasr_protocol`. ``websockets`` is imported only when a recogniser
is made.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from codriver.errors import ConfigError, InputError, MissingExtraError
from codriver.text import Lang, detect_lang
from codriver.voice.engines.funasr_protocol import (
    END_MESSAGE,
    SAMPLE_RATES,
    FunASRError,
    Mode,
    ServerReply,
    TranscriptAssembly,
    frame_bytes,
    hotword_table,
    parse_reply,
    start_message,
)
from codriver.voice.engines.wslink import Closed, Link, connect, unverified_tls
from codriver.voice.ports import RATE, Audio, Transcript

DEFAULT_URL = "ws://127.0.0.1:10095"
"""Where FunASR's servers listen by default (``--port 10095``)."""


class FunASRRecognizer:
    """A recogniser on a FunASR runtime server (``ws://`` or ``wss://``).

    ``mode``: ``2pass`` (streaming pieces, each sentence corrected at its end), ``online``
    (streaming only) or ``offline`` (one pass at the end). ``hotwords``: words to favour, e.g. the
    assistant's command words, bare or with weights. ``realtime``: pace the audio at the speed of
    speech instead of sending it as fast as the socket takes it. ``end_ack``: wait for the
    ``is_end`` acknowledgement of FunASR's Python server (``funasr_wss_server.py``); leave it off
    for the C++ servers of the Docker images. ``verify_tls=False`` accepts the self-signed
    certificate FunASR's servers use by default; ``ssl_context`` replaces the TLS settings.
    ``connect_timeout`` bounds the opening handshake, ``read_timeout`` each wait for a reply after
    the audio has been sent.
    """

    name = "funasr"

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        mode: Mode = "2pass",
        chunk_size: Sequence[int] = (5, 10, 5),
        chunk_interval: int = 10,
        hotwords: Mapping[str, int] | Iterable[str] = (),
        itn: bool = True,
        wav_name: str = "codriver",
        realtime: bool = False,
        end_ack: bool = False,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        verify_tls: bool = True,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        try:
            import websockets.sync.client  # noqa: F401
        except ImportError as exc:
            raise MissingExtraError("the FunASR recogniser", "voice") from exc
        if not url.startswith(("ws://", "wss://")):
            raise ConfigError(f"a FunASR server URL starts with ws:// or wss://, not {url!r}")
        if len(chunk_size) != 3 or chunk_size[1] <= 0 or chunk_interval <= 0:
            raise ConfigError(
                f"FunASR chunk_size needs three counts with a positive middle one and "
                f"chunk_interval must be positive: {chunk_size!r}, {chunk_interval!r}"
            )
        self.url, self.mode, self.wav_name, self.itn = url, mode, wav_name, itn
        self.chunk_size = (int(chunk_size[0]), int(chunk_size[1]), int(chunk_size[2]))
        self.chunk_interval = chunk_interval
        self.hotwords = hotword_table(hotwords)
        self.realtime, self.end_ack = realtime, end_ack
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self._ssl = ssl_context or (unverified_tls() if not verify_tls else None)

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        """Sends ``audio`` as one utterance and returns the final transcript."""
        step = frame_bytes(self.chunk_size, self.chunk_interval, audio.rate)
        pieces = (audio.pcm[at : at + step] for at in range(0, len(audio.pcm), step))
        *_, final = self.stream(pieces, rate=audio.rate, lang=lang)  # the final comes last
        return final

    def stream(
        self, chunks: Iterable[bytes], *, rate: int = RATE, lang: Lang | None = None
    ) -> Iterator[Transcript]:
        """Streams one utterance (16-bit mono PCM of any chunk size) and yields each new partial
        transcript (``final=False``) as the server sends it, then the final one, last.

        The audio is re-cut into the frames ``chunk_size`` and ``chunk_interval`` ask for; replies
        are read between chunks, and after the last until the final one. Raises
        :class:`FunASRError` when the server is unreachable, silent past ``read_timeout``, hangs
        up before the end, or breaks the protocol."""
        if rate not in SAMPLE_RATES:
            raise InputError(f"FunASR takes PCM at {SAMPLE_RATES} Hz, not {rate} Hz")
        step = frame_bytes(self.chunk_size, self.chunk_interval, rate)
        assembly = TranscriptAssembly(self.mode, end_ack=self.end_ack)
        with self._connect() as link:
            link.send(self._start(rate))
            began, sent = time.monotonic(), 0
            for frame in _frames(chunks, step):
                if self.realtime:  # keep to the clock: never ahead of the speech sent so far
                    time.sleep(max(0.0, began + sent / 2 / rate - time.monotonic()))
                link.send(frame)
                sent += len(frame)
                while (reply := link.receive(timeout=0)) is not None:
                    if assembly.take(reply):
                        yield self._transcript(assembly, lang, final=False)
            link.send(END_MESSAGE)
            assembly.input_ended = True
            while not assembly.done:
                reply = link.receive(timeout=self.read_timeout)
                if reply is None:
                    raise self._silence()
                if assembly.take(reply) and not assembly.done:
                    yield self._transcript(assembly, lang, final=False)
        yield self._transcript(assembly, lang, final=True)

    def _silence(self) -> FunASRError:
        hint = " (does it acknowledge is_end? try end_ack=False)" if self.end_ack else ""
        return FunASRError(
            f"the FunASR server at {self.url} sent nothing for {self.read_timeout:g} s after the "
            f"end of speech{hint}",
            kind="timeout",
            retryable=True,
        )

    def _start(self, rate: int) -> str:
        return start_message(
            mode=self.mode,
            chunk_size=self.chunk_size,
            chunk_interval=self.chunk_interval,
            rate=rate,
            wav_name=self.wav_name,
            hotwords=self.hotwords,
            itn=self.itn,
        )

    def _transcript(
        self, assembly: TranscriptAssembly, lang: Lang | None, final: bool
    ) -> Transcript:
        text = assembly.text.strip()
        heard: Lang = lang or (detect_lang(text) if text else "zh")
        return Transcript(text, heard, final=final)

    @contextmanager
    def _connect(self) -> Iterator[_Link]:
        where = f"the FunASR server at {self.url}"
        with connect(
            self.url,
            where=where,
            error=FunASRError,
            tls=self._ssl,
            subprotocols=["binary"],  # FunASR's Python server needs it
            timeout=self.connect_timeout,
        ) as link:
            yield _Link(link)


class _Link:
    """An open connection that speaks in :class:`ServerReply` and fails as :class:`FunASRError`."""

    def __init__(self, link: Link) -> None:
        self.link = link

    def send(self, message: str | bytes) -> None:
        self.link.send(message)

    def receive(self, timeout: float) -> ServerReply | None:
        """The next reply, or None when none comes within ``timeout`` seconds (0: only one that
        has already arrived)."""
        try:
            message = self.link.receive(timeout)
        except Closed as closed:
            raise self.link.closed(closed) from None
        return None if message is None else parse_reply(message)


def _frames(chunks: Iterable[bytes], step: int) -> Iterator[bytes]:
    """Re-cuts a stream of PCM chunks into frames of ``step`` bytes; the last may be shorter."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= step:
            yield bytes(buffer[:step])
            del buffer[:step]
    if buffer:
        yield bytes(buffer)


__all__ = ["DEFAULT_URL", "FunASRError", "FunASRRecognizer"]
