"""``codriver vision`` with a fake perceiver behind its perception seam: the driver's state once a
second and the events; bad input as one clear line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from vision_frames import SHUT, Clip, face, hand

from codriver.care import load_care
from codriver.cli.vision import Perception, _open_perception, run_vision
from codriver.errors import InputError, MissingExtraError
from codriver.testing import offline_assistant
from codriver.vision.observation import FrameObservation


class FakePerceiver:
    """Perception that was told what each frame shows: here a frame *is* its observation."""

    def __init__(self) -> None:
        self.open = False
        self.observed = 0

    def __enter__(self) -> FakePerceiver:
        self.open = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.open = False

    def observe(self, frame: Any, t: float) -> FrameObservation:
        assert self.open and isinstance(frame, FrameObservation)
        self.observed += 1
        return replace(frame, t=t)


def opener(frames: list[FrameObservation], perceiver: FakePerceiver) -> Any:
    def open_perception(source: str, hands: bool, faces: int) -> Perception:
        return Perception(perceiver, [(f.t, f) for f in frames])

    return open_perception


def watch(frames: list[FrameObservation], **options: Any) -> tuple[int, FakePerceiver]:
    perceiver = FakePerceiver()
    kwargs: dict[str, Any] = {"hands": False, "faces": 1, "show": False, "drive": "left"}
    kwargs.update(options)
    seen = run_vision(
        "clip.mp4",
        speed=kwargs.pop("speed", 80.0),
        assistant=offline_assistant(),
        open_perception=opener(frames, perceiver),
        **kwargs,
    )
    return seen, perceiver


def test_it_prints_the_driver_state_each_second_and_care_reacting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    frames = Clip().awake(20.0).hold(3.0, face(ear=SHUT)).frames
    seen, perceiver = watch(frames)
    out = capsys.readouterr().out
    assert seen == perceiver.observed == len(frames)
    assert not perceiver.open  # perception closed when the source ends
    states = [line for line in out.splitlines() if " fatigue " in line]
    assert len(states) == 23  # one a second over 23 s
    [fatigue] = [item for item in load_care() if item.id == "fatigue"]
    assert any(fatigue.say.in_("zh") in line or fatigue.say.en in line for line in out.splitlines())
    assert "long_closure" in out
    assert out.rstrip().endswith("none kept.")


def test_show_adds_the_measures(capsys: pytest.CaptureFixture[str]) -> None:
    watch(Clip().awake(3.0).frames, show=True)
    assert "PERCLOS" in capsys.readouterr().out


def test_gestures_are_printed_with_what_they_did(capsys: pytest.CaptureFixture[str]) -> None:
    thumb = hand((0.7, 0.6), "thumbs_up")
    watch(Clip().hold(2.0, face(), hands=(thumb,)).frames, hands=True)
    [line] = [line for line in capsys.readouterr().out.splitlines() if "gesture" in line]
    assert "thumbs_up (driver)" in line and "no question pending" in line


def test_a_source_without_frames_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no frames"):
        watch([])


def test_too_many_faces_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--faces"):
        watch(Clip().awake(1.0).frames, faces=9)


def test_without_the_extra_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "codriver.vision.perception", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"codriver\[vision\]"):
        _open_perception("clip.mp4", False, 1)


def codriver(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "codriver"
    command = (
        [str(script), *args]
        if script.exists()
        else [sys.executable, "-c", "from codriver.cli.main import run; run()", *args]
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    "args",
    [
        ["vision", "--in", "/nonexistent/clip.mp4"],
        ["vision"],
        ["vision", "--in", "a.mp4", "--camera", "0"],
        ["vision", "--in", "a.mp4", "--drive", "middle"],
    ],
    ids=["unreadable-video", "no-source", "two-sources", "bad-drive"],
)
def test_bad_input_is_one_clear_line_and_exit_2(args: list[str]) -> None:
    done = codriver(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert done.stdout == ""
