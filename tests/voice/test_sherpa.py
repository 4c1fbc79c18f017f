"""The sherpa-onnx WebSocket client against the local stand-in that speaks the same protocols
(both servers, C++ and Python flavours)."""

from __future__ import annotations

import math
import struct
from array import array
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from codriver.errors import BackendError, ConfigError
from codriver.testing.sherpa_server import (
    Hear,
    Misbehaviour,
    SherpaStandIn,
    constant,
    growing,
    lookup,
)
from codriver.voice.engines.sherpa import SherpaError, SherpaRecognizer
from codriver.voice.ports import Audio, Recognizer

RATE = 16_000


def tone(seconds: float, amplitude: int = 1000, rate: int = RATE) -> bytes:
    return array("h", [amplitude, -amplitude] * int(seconds * rate / 2)).tobytes()


def silence(seconds: float) -> bytes:
    return bytes(2 * int(seconds * RATE))


Serve = Callable[..., SherpaStandIn]


@pytest.fixture
def serve() -> Iterator[Serve]:
    started: list[SherpaStandIn] = []

    def start(hear: Hear | None = None, **options: Any) -> SherpaStandIn:
        started.append(SherpaStandIn(hear or constant("你好"), **options))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.mark.parametrize("flavour", ["cpp", "python"])
def test_streaming_gives_partials_then_the_final(serve: Serve, flavour: str) -> None:
    server = serve(growing("打开车窗播放音乐", chars_per_second=4), flavour=flavour)
    recognizer = SherpaRecognizer(server.url)
    heard = list(recognizer.stream([tone(2.0)[at : at + 3200] for at in range(0, 64000, 3200)]))
    partials = [t.text for t in heard[:-1]]
    assert len(partials) >= 3 and not any(t.final for t in heard[:-1])
    assert all("打开车窗播放音乐".startswith(t) for t in partials)
    assert [len(t) for t in partials] == sorted({len(t) for t in partials})  # each one longer
    assert (heard[-1].text, heard[-1].final, heard[-1].lang) == ("打开车窗播放音乐", True, "zh")
    session = server.sessions[0]
    assert session.texts == ["Done"] and session.problems == []


def test_streaming_sends_float_samples_in_chunks_of_chunk_ms(serve: Serve) -> None:
    server = serve()
    pcm = tone(0.45)
    SherpaRecognizer(server.url, chunk_ms=100).transcribe(Audio(pcm))
    session = server.sessions[0]
    assert session.message_sizes == [6400] * 4 + [3200]  # 1600 float32 samples per 100 ms
    assert bytes(session.audio) == pcm  # the samples arrive as sent, -1…1


def test_audio_at_another_rate_is_resampled_to_16k(serve: Serve) -> None:
    server = serve()
    SherpaRecognizer(server.url).transcribe(Audio(tone(0.5, rate=8000), rate=8000))
    assert len(server.sessions[0].audio) == len(tone(0.5))


def test_segments_add_up_at_endpoints(serve: Serve) -> None:
    louder = {1000: "打开车窗", 2000: "播放音乐"}

    def by_loudness(pcm: bytes) -> str:
        samples = array("h", pcm)
        return louder.get(max(map(abs, samples), default=0), "")

    server = serve(by_loudness, endpoint_ms=300)
    pcm = tone(1.0, 1000) + silence(0.5) + tone(1.0, 2000)
    heard = SherpaRecognizer(server.url).transcribe(Audio(pcm))
    assert heard.text == "打开车窗播放音乐"
    finals = [r for r in server.sessions[0].replies if isinstance(r, dict) and r["is_final"]]
    assert [r["segment"] for r in finals] == [0, 1]


def test_the_cpp_servers_token_log_probabilities_give_the_confidence(serve: Serve) -> None:
    server = serve(constant("打开车窗"), log_prob=-0.5)
    heard = SherpaRecognizer(server.url).transcribe(Audio(tone(0.5)))
    assert heard.confidence == pytest.approx(math.exp(-0.5))


@pytest.mark.parametrize("flavour", ["python"])
def test_a_server_that_gives_no_probabilities_gives_no_confidence(
    serve: Serve, flavour: str
) -> None:
    server = serve(constant("打开车窗"), flavour=flavour)
    assert SherpaRecognizer(server.url).transcribe(Audio(tone(0.5))).confidence is None


@pytest.mark.parametrize("flavour", ["cpp", "python"])
def test_offline_sends_the_header_then_the_samples(serve: Serve, flavour: str) -> None:
    pcm = tone(1.0)
    server = serve(lookup({pcm: "把空调调到二十三度"}), mode="offline", flavour=flavour)
    recognizer: Recognizer = SherpaRecognizer(server.url, mode="offline")
    heard = recognizer.transcribe(Audio(pcm))
    assert (heard.text, heard.final) == ("把空调调到二十三度", True)
    session = server.sessions[0]
    assert session.headers == [(16000, 4 * len(pcm) // 2)]
    assert session.texts == ["Done"] and bytes(session.audio) == pcm
    assert max(session.message_sizes) <= 10240
    assert len(session.message_sizes) == math.ceil((8 + 2 * len(pcm)) / 10240)


def test_the_offline_header_is_two_little_endian_int32() -> None:
    from codriver.voice.engines.sherpa_protocol import offline_messages

    first = offline_messages(tone(0.01), 16000, 10240)[0]
    assert struct.unpack("<ii", first[:8]) == (16000, 4 * 160)
    assert np.frombuffer(first[8:], "<f4")[0] == pytest.approx(1000 / 32768)


def test_the_python_offline_servers_empty_marker_is_no_text(serve: Serve) -> None:
    server = serve(constant(""), mode="offline", flavour="python")
    assert SherpaRecognizer(server.url, mode="offline").transcribe(Audio(tone(0.3))).text == ""
    assert server.sessions[0].replies == ["<EMPTY>"]


def test_a_silent_server_times_out(serve: Serve) -> None:
    server = serve(misbehave="silent")
    with pytest.raises(SherpaError, match=r"sent nothing for 0\.3 s") as caught:
        SherpaRecognizer(server.url, read_timeout=0.3).transcribe(Audio(tone(0.3)))
    assert (caught.value.kind, caught.value.retryable) == ("timeout", True)


@pytest.mark.parametrize("mode", ["streaming", "offline"])
@pytest.mark.parametrize("fault", ["close", "drop"])
def test_a_connection_closed_mid_utterance_is_retryable(
    serve: Serve, fault: Misbehaviour, mode: str
) -> None:
    server = serve(misbehave=fault, mode=mode)
    with pytest.raises(SherpaError, match="closed the connection before the final") as caught:
        SherpaRecognizer(server.url, mode=mode, read_timeout=5).transcribe(Audio(tone(1.0)))  # type: ignore[arg-type]
    assert (caught.value.kind, caught.value.retryable) == ("closed", True)
    assert isinstance(caught.value, BackendError)


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("garbage", "not JSON: '<html>502 Bad Gateway</html>'"),
        ("binary", "a binary message of 4 bytes"),
        ("wrong_shape", "wrong shape (text: Input should be a valid string)"),
    ],
)
def test_a_reply_that_breaks_the_protocol_is_not_retryable(
    serve: Serve, fault: Misbehaviour, says: str
) -> None:
    server = serve(misbehave=fault)
    with pytest.raises(SherpaError) as caught:
        SherpaRecognizer(server.url).transcribe(Audio(tone(0.3)))
    assert (caught.value.kind, caught.value.retryable) == ("protocol", False)
    assert "protocol violation" in str(caught.value) and says in str(caught.value)


def test_a_server_that_never_completes_the_handshake_times_out(serve: Serve) -> None:
    server = serve(misbehave="stall_handshake")
    with pytest.raises(SherpaError, match=r"did not answer within 0\.3 s"):
        SherpaRecognizer(server.url, connect_timeout=0.3).transcribe(Audio(tone(0.3)))


def test_a_refused_connection_says_where(serve: Serve) -> None:
    server = serve()
    url = server.url
    server.close()
    with pytest.raises(SherpaError, match=f"could not connect to the sherpa-onnx server at {url}"):
        SherpaRecognizer(url, connect_timeout=2).transcribe(Audio(tone(0.3)))


@pytest.mark.parametrize(
    "options",
    [{"url": "http://127.0.0.1:6006"}, {"chunk_ms": 0}, {"max_message_bytes": 4}],
    ids=["http-url", "zero-chunk", "tiny-message"],
)
def test_bad_settings_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        SherpaRecognizer(**options)
