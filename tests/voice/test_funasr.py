"""The FunASR WebSocket client against the local stand-in that speaks the same protocol."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import time
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from codriver.errors import BackendError, CodriverError, ConfigError, InputError
from codriver.testing.funasr_server import (
    FunASRStandIn,
    Hear,
    Misbehaviour,
    constant,
    growing,
    lookup,
)
from codriver.voice.engines.funasr import FunASRError, FunASRRecognizer
from codriver.voice.engines.funasr_protocol import Mode
from codriver.voice.ports import Audio, Recognizer

RATE = 16_000
SENTENCES = {1000: "打开车窗。", 2000: "播放音乐。"}


def tone(seconds: float, amplitude: int = 1000, rate: int = RATE) -> bytes:
    """A square wave whose peak is exactly ``amplitude``."""
    return array("h", [amplitude, -amplitude] * int(seconds * rate / 2)).tobytes()


def silence(seconds: float, rate: int = RATE) -> bytes:
    return bytes(2 * int(seconds * rate))


def by_loudness(pcm: bytes) -> str:
    """Each sentence's text is picked by its peak; four characters are heard per voiced second."""
    samples = array("h", pcm)
    text = SENTENCES.get(max(map(abs, samples), default=0), "")
    voiced = sum(1 for s in samples if s)
    return text[: int(voiced / RATE * 4)]


@pytest.fixture
def stand_ins() -> Iterator[list[FunASRStandIn]]:
    started: list[FunASRStandIn] = []
    yield started
    for server in started:
        server.close()


Serve = Callable[..., FunASRStandIn]


@pytest.fixture
def serve(stand_ins: list[FunASRStandIn]) -> Serve:
    """Starts a stand-in (hearing "你好" unless told); each is closed after the test."""

    def start(hear: Hear | None = None, **options: Any) -> FunASRStandIn:
        stand_ins.append(FunASRStandIn(hear or constant("你好"), **options))
        return stand_ins[-1]

    return start


def test_offline_mode_returns_the_one_pass_result(serve: Serve) -> None:
    pcm = tone(1.2)
    server = serve(lookup({pcm: "把空调调到二十三度"}))
    recognizer: Recognizer = FunASRRecognizer(server.url, mode="offline")
    heard = recognizer.transcribe(Audio(pcm))
    assert (heard.text, heard.lang, heard.final) == ("把空调调到二十三度", "zh", True)
    session = server.sessions[0]
    assert session.bytes_received == len(pcm) and session.problems == []
    # the C++ offline server's only reply carries is_final false; the client still takes it
    assert [r["is_final"] for r in session.replies] == [False]


def test_the_start_message_and_end_of_speech_follow_the_protocol(serve: Serve) -> None:
    server = serve()
    FunASRRecognizer(server.url, wav_name="cabin-1", itn=False).transcribe(Audio(tone(0.5)))
    session = server.sessions[0]
    assert session.subprotocol == "binary"
    assert session.config == {
        "mode": "2pass",
        "chunk_size": [5, 10, 5],
        "chunk_interval": 10,
        "wav_name": "cabin-1",
        "wav_format": "pcm",
        "audio_fs": 16000,
        "is_speaking": True,
        "hotwords": "",
        "itn": False,
    }
    assert session.controls == [{"is_speaking": False, "is_end": True}]


def test_2pass_streams_partials_then_the_corrected_final(serve: Serve) -> None:
    server = serve(growing("打开车窗播放音乐", chars_per_second=4))
    pieces = [tone(2.0)[at : at + 3200] for at in range(0, 64000, 3200)]
    heard = list(FunASRRecognizer(server.url).stream(pieces))
    partials, final = heard[:-1], heard[-1]
    assert [t.text for t in partials] == ["打开", "打开车窗", "打开车窗播放音"]
    assert not any(t.final for t in partials)
    assert (final.text, final.final) == ("打开车窗播放音乐", True)
    modes = [r["mode"] for r in server.sessions[0].replies]
    assert modes == ["2pass-online"] * 3 + ["2pass-offline"]


def test_a_server_that_streams_no_partials_still_gives_the_final(serve: Serve) -> None:
    server = serve(growing("打开车窗播放音乐", chars_per_second=4), partial_every=0)
    heard = list(FunASRRecognizer(server.url).stream([tone(2.0)]))
    assert [(t.text, t.final) for t in heard] == [("打开车窗播放音乐", True)]


def test_2pass_sentences_add_up_and_replace_their_partials(serve: Serve) -> None:
    server = serve(by_loudness, pause_ms=300)
    pcm = tone(1.5, 1000) + silence(0.6) + tone(1.5, 2000) + silence(0.12)
    heard = list(FunASRRecognizer(server.url).stream([pcm]))
    assert heard[-1].text == "打开车窗。播放音乐。"
    texts = [t.text for t in heard[:-1]]
    assert "打开车窗。" in texts  # the first sentence, corrected, before the second is heard
    assert any(t.startswith("打开车窗。播") and len(t) < 10 for t in texts)
    replies = server.sessions[0].replies
    assert [r["is_final"] for r in replies if r["mode"] == "2pass-offline"] == [False, True]


def test_online_mode_joins_the_streamed_pieces(serve: Serve) -> None:
    server = serve(growing("导航去公司", chars_per_second=4))
    heard = FunASRRecognizer(server.url, mode="online").transcribe(Audio(tone(1.5)))
    assert heard.text == "导航去公司"
    # the C++ server labels online pieces "2pass-online"; the last alone is final
    replies = server.sessions[0].replies
    assert {r["mode"] for r in replies} == {"2pass-online"}
    assert [r["is_final"] for r in replies] == [False] * (len(replies) - 1) + [True]


def test_a_final_reply_without_mode_ends_the_utterance(serve: Serve) -> None:
    server = serve(constant(""))
    heard = FunASRRecognizer(server.url).transcribe(Audio(tone(0.3)), lang="en")
    assert (heard.text, heard.lang, heard.final) == ("", "en", True)
    assert server.sessions[0].replies[-1] == {
        "text": "",
        "is_final": True,
        "wav_name": "codriver",
        "timestamp": server.sessions[0].replies[-1]["timestamp"],
    }


@pytest.mark.parametrize("mode", ["2pass", "offline"])
def test_python_server_sentences_are_final_until_the_end_acknowledgement(
    serve: Serve, mode: Mode
) -> None:
    server = serve(by_loudness, flavour="python", pause_ms=300)
    pcm = tone(1.5, 1000) + silence(0.6) + tone(1.5, 2000)
    heard = FunASRRecognizer(server.url, mode=mode, end_ack=True).transcribe(Audio(pcm))
    assert heard.text == "打开车窗。播放音乐。"
    replies = server.sessions[0].replies
    assert replies[-1]["is_end"] is True
    assert sum(1 for r in replies if r.get("is_final")) == 3  # two sentences and the ack


def test_waiting_for_an_acknowledgement_the_server_never_sends_times_out(serve: Serve) -> None:
    server = serve(flavour="cpp")
    recognizer = FunASRRecognizer(server.url, end_ack=True, read_timeout=0.3)
    with pytest.raises(FunASRError, match="end_ack=False") as caught:
        recognizer.transcribe(Audio(tone(0.3)))
    assert caught.value.kind == "timeout"


@pytest.mark.parametrize(
    ("hotwords", "sent"),
    [
        (["打开车窗", "座椅加热"], {"打开车窗": 20, "座椅加热": 20}),
        ({"周杰伦": 30, "氛围灯": 10}, {"周杰伦": 30, "氛围灯": 10}),
    ],
    ids=["bare-words", "weighted"],
)
def test_hotwords_travel_as_a_json_string_in_the_start_message(
    serve: Serve, hotwords: list[str] | dict[str, int], sent: dict[str, int]
) -> None:
    server = serve()
    FunASRRecognizer(server.url, hotwords=hotwords).transcribe(Audio(tone(0.2)))
    config = server.sessions[0].config
    assert isinstance(config["hotwords"], str)
    assert json.loads(config["hotwords"]) == sent


@pytest.mark.parametrize(
    ("chunk_size", "chunk_interval", "rate", "frame"),
    [
        ((5, 10, 5), 10, 16000, 1920),  # 60 ms: FunASR's default
        ((5, 10, 5), 5, 16000, 3840),  # 120 ms
        ((0, 8, 4), 8, 16000, 1920),  # 480 ms chunks sent in 60 ms frames
        ((5, 10, 5), 10, 8000, 960),
    ],
    ids=["default", "interval-5", "chunk-8", "8kHz"],
)
def test_audio_is_cut_into_frames_of_chunk_size_over_chunk_interval(
    serve: Serve, chunk_size: tuple[int, int, int], chunk_interval: int, rate: int, frame: int
) -> None:
    server = serve()
    pcm = tone(0.5, rate=rate) + b"\x01\x00" * 7  # a ragged end
    recognizer = FunASRRecognizer(server.url, chunk_size=chunk_size, chunk_interval=chunk_interval)
    recognizer.transcribe(Audio(pcm, rate))
    session = server.sessions[0]
    assert session.config["chunk_size"] == list(chunk_size)
    assert session.config["audio_fs"] == rate
    sizes = session.frame_sizes
    assert set(sizes[:-1]) == {frame} and 0 < sizes[-1] <= frame
    assert bytes(session.audio) == pcm


def test_streamed_chunks_of_any_size_are_recut_into_frames(serve: Serve) -> None:
    server = serve()
    pcm = tone(0.5)
    chunks = [pcm[at : at + 1000] for at in range(0, len(pcm), 1000)]
    list(FunASRRecognizer(server.url).stream(chunks))
    assert server.sessions[0].frame_sizes == [1920] * 8 + [640]


def test_realtime_pacing_sends_no_faster_than_speech(serve: Serve) -> None:
    server = serve()
    started = time.monotonic()
    FunASRRecognizer(server.url, realtime=True).transcribe(Audio(tone(0.36)))
    # six 60 ms frames: the last may leave no earlier than 300 ms after the first
    assert time.monotonic() - started >= 0.3
    assert server.sessions[0].frame_sizes == [1920] * 6


def test_a_silent_server_times_out(serve: Serve) -> None:
    server = serve(misbehave="silent")
    recognizer = FunASRRecognizer(server.url, read_timeout=0.3)
    with pytest.raises(FunASRError, match=r"sent nothing for 0\.3 s") as caught:
        recognizer.transcribe(Audio(tone(0.3)))
    assert (caught.value.kind, caught.value.retryable) == ("timeout", True)
    assert server.sessions[0].bytes_received == len(tone(0.3))


def test_a_server_that_never_completes_the_handshake_times_out(serve: Serve) -> None:
    server = serve(misbehave="stall_handshake")
    recognizer = FunASRRecognizer(server.url, connect_timeout=0.3)
    with pytest.raises(FunASRError, match=r"did not answer within 0\.3 s") as caught:
        recognizer.transcribe(Audio(tone(0.3)))
    assert caught.value.kind == "timeout"


@pytest.mark.parametrize("fault", ["close", "drop"])
def test_a_connection_closed_mid_stream_is_a_retryable_failure(
    serve: Serve, fault: Misbehaviour
) -> None:
    server = serve(misbehave=fault, misbehave_after=2)
    with pytest.raises(FunASRError, match="closed the connection before the final") as caught:
        FunASRRecognizer(server.url, read_timeout=5).transcribe(Audio(tone(1.0)))
    assert (caught.value.kind, caught.value.retryable) == ("closed", True)
    assert isinstance(caught.value, BackendError) and isinstance(caught.value, CodriverError)


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
    with pytest.raises(FunASRError) as caught:
        FunASRRecognizer(server.url).transcribe(Audio(tone(0.3)))
    assert (caught.value.kind, caught.value.retryable) == ("protocol", False)
    assert "protocol violation" in str(caught.value) and says in str(caught.value)


def test_a_failure_the_server_reports_is_raised_with_its_reason(serve: Serve) -> None:
    server = serve(flavour="python", misbehave="fail")
    with pytest.raises(FunASRError, match="offline inference failed: stand-in fault") as caught:
        FunASRRecognizer(server.url, end_ack=True).transcribe(Audio(tone(0.3)))
    assert caught.value.kind == "server"


def test_a_refused_connection_says_where(serve: Serve) -> None:
    server = serve()
    url = server.url
    server.close()
    with pytest.raises(FunASRError, match=f"could not connect to the FunASR server at {url}") as e:
        FunASRRecognizer(url, connect_timeout=2).transcribe(Audio(tone(0.3)))
    assert (e.value.kind, e.value.retryable) == ("connect", True)


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself, as FunASR's servers ship by default."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _tls_server(serve: Serve, cert: Path, key: Path) -> FunASRStandIn:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(constant("打开天窗"), ssl_context=context)
    assert server.url.startswith("wss://")
    return server


def test_wss_with_a_self_signed_certificate_is_refused_by_default(
    serve: Serve, self_signed: tuple[Path, Path]
) -> None:
    server = _tls_server(serve, *self_signed)
    with pytest.raises(FunASRError, match="verify_tls=False") as caught:
        FunASRRecognizer(server.url).transcribe(Audio(tone(0.3)))
    assert (caught.value.kind, caught.value.retryable) == ("connect", False)


def test_wss_without_verification_when_asked(serve: Serve, self_signed: tuple[Path, Path]) -> None:
    server = _tls_server(serve, *self_signed)
    unverified = FunASRRecognizer(server.url, verify_tls=False)
    assert unverified.transcribe(Audio(tone(0.3))).text == "打开天窗"


def test_wss_with_a_context_that_trusts_the_certificate(
    serve: Serve, self_signed: tuple[Path, Path]
) -> None:
    cert, _ = self_signed
    server = _tls_server(serve, *self_signed)
    trusting = FunASRRecognizer(server.url, ssl_context=ssl.create_default_context(cafile=cert))
    assert trusting.transcribe(Audio(tone(0.3))).text == "打开天窗"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"url": "http://127.0.0.1:10095"}, ConfigError),
        ({"chunk_size": (5, 0, 5)}, ConfigError),
        ({"chunk_interval": 0}, ConfigError),
    ],
    ids=["http-url", "zero-chunk", "zero-interval"],
)
def test_bad_settings_are_refused(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        FunASRRecognizer(**options)


def test_audio_at_a_rate_funasr_does_not_take_is_refused() -> None:
    with pytest.raises(InputError, match="44100"):
        FunASRRecognizer().transcribe(Audio(tone(0.1), rate=44100))
