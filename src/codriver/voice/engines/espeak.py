"""Mandarin synthesis on eSpeak NG: robotic, but small, instant and offline.

eSpeak NG is GPL-3.0-or-later and is used as a separately installed library or program: the
``libespeak-ng`` and data that the ``espeakng-loader`` wheel ships, driven through ctypes, or,
without that wheel, Debian's ``espeak-ng`` program. Voice ``cmn`` reads Chinese characters (with
the wheel's eSpeak NG 1.52; Debian 12's 1.51 spells common ones out in English), and
``cmn-latn-pinyin`` reads tone-numbered pinyin, which the synthesiser makes with pypinyin. Audio
comes at eSpeak's own rate (22 050 Hz).
"""

from __future__ import annotations

import ctypes
import io
import shutil
import subprocess
import threading
import wave
from collections.abc import Callable
from typing import Literal

from codriver.errors import BackendError, InputError
from codriver.text import Lang
from codriver.voice.engines.offline import VoiceUnavailable
from codriver.voice.ports import Audio

Backend = Literal["library", "program"]

_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS
_POS_CHARACTER = 1  # espeak_POSITION_TYPE
_CHARS_UTF8 = 1  # espeak_Synth flags
_RATE = 1  # espeak_PARAMETER: espeakRATE, words per minute
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """libespeak-ng loaded into this process. The library keeps global state, so there is one
    per process and one synthesis at a time."""

    _lock = threading.Lock()
    _loaded: _Library | None = None

    def __init__(self, path: str, data: str) -> None:
        lib = ctypes.CDLL(path)
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint]
        lib.espeak_Synth.argtypes += [ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
        lib.espeak_Synth.argtypes += [ctypes.c_void_p, ctypes.c_void_p]
        self.rate = int(lib.espeak_Initialize(_SYNCHRONOUS, 0, data.encode(), 0))
        if self.rate <= 0:
            raise VoiceUnavailable("espeakng-loader", f"could not start eSpeak NG on {data}")
        self._pcm = bytearray()
        self._callback = _CALLBACK(self._collect)  # kept: the library calls it
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib

    @classmethod
    def get(cls) -> _Library | None:
        """The process's library, loaded on first use; None without the wheel."""
        with cls._lock:
            if cls._loaded is None:
                try:
                    import espeakng_loader
                except ImportError:
                    return None
                path, data = espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
                cls._loaded = _Library(str(path), str(data))
            return cls._loaded

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0 and wav:
            self._pcm += ctypes.string_at(wav, count * 2)
        return 0

    def speak(self, text: str, voice: str, wpm: int) -> Audio:
        with self._lock:
            self._pcm.clear()
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise InputError(f"eSpeak NG has no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, wpm, 0)
            raw = text.encode() + b"\0"
            if self._lib.espeak_Synth(raw, len(raw), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None):
                raise BackendError(f"eSpeak NG could not speak {text!r}", retryable=False)
            return Audio(bytes(self._pcm), self.rate)


def _pinyin() -> Callable[[str], str]:
    """Chinese characters to tone-numbered pinyin (``da3 kai1``), for the pinyin voice."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError as exc:
        raise VoiceUnavailable("pypinyin") from exc

    def convert(text: str) -> str:
        return " ".join(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True))

    return convert


def _run_program(program: str, text: str, voice: str, wpm: int) -> Audio:
    """The ``espeak-ng`` program, writing a WAV file to its standard output."""
    done = subprocess.run(
        [program, "--stdout", "-v", voice, "-s", str(wpm), "--", text],
        capture_output=True,
        check=False,
        timeout=30,
    )
    if done.returncode != 0:
        problem = done.stderr.decode(errors="replace").strip()
        raise BackendError(f"{program} failed: {problem}", retryable=False)
    with wave.open(io.BytesIO(done.stdout), "rb") as wav:
        return Audio(wav.readframes(wav.getnframes()), wav.getframerate())


class EspeakSynthesizer:
    """:class:`~codriver.voice.ports.Synthesizer` for Mandarin on eSpeak NG: the library from the
    ``espeakng-loader`` wheel when installed, else the ``espeak-ng`` program (``backend`` picks
    one). ``voice`` defaults to ``cmn`` on the library and ``cmn-latn-pinyin`` on the program."""

    def __init__(
        self,
        voice: str | None = None,
        *,
        words_per_minute: int = 150,
        backend: Backend | None = None,
    ) -> None:
        self._library = _Library.get() if backend != "program" else None
        self._program = shutil.which("espeak-ng") if backend != "library" else None
        if self._library is None and self._program is None:
            wanted = "the espeak-ng program" if backend == "program" else "espeakng-loader"
            raise VoiceUnavailable(wanted, "is not installed")
        self.backend: Backend = "library" if self._library else "program"
        self.voice = voice or ("cmn" if self._library else "cmn-latn-pinyin")
        self.words_per_minute = words_per_minute
        self.name = f"espeak-ng:{self.voice}"
        self._spell = _pinyin() if self.voice.endswith("pinyin") else str

    def synthesize(self, text: str, lang: Lang) -> Audio:
        if lang != "zh":
            raise InputError(f"{self.name} speaks Mandarin, not {lang!r}")
        spoken = self._spell(text)
        if self._library is not None:
            return self._library.speak(spoken, self.voice, self.words_per_minute)
        return _run_program(self._program or "espeak-ng", spoken, self.voice, self.words_per_minute)
