"""Benchmark of the camera's perception: frames per second at 640×480 on one core, peak memory,
and accuracy on labelled real photographs.

Speed: a 640×480 clip made in memory from a real photo (Grace Hopper, matplotlib's sample data),
the face drifting and tilting a little from frame to frame as a driver's does, optionally with a
real open hand (opencv-doc) in the corner; ``Perceiver.observe`` is timed per frame (eye and
mouth ratios, head pose and gaze included). Modes: face with tracking (driver monitoring, the
default), face + hands (up to two: with one hand in view the palm detector keeps looking for the
second on every frame), face + at most one hand, face with the detector on every frame (no
tracking), and frames without a face (nothing to follow, so the detector runs every frame).

Accuracy: the photos and edits of ``tests/vision/perception_photos.py`` — two faces, the same
faces with eyes painted shut, rotated by ±15° and ±30°, re-drawn turned (yaw ±15°, ±30°) and
tilted (pitch ±20°), with irises moved sideways by 0.2 of the eye's width; a real head in near
profile (the cameraman) and its mirror image; five photos without people; five of an open left
hand.

Usage (one core, as documented in docs/vision.md):
    OMP_NUM_THREADS=1 taskset -c 0 python benchmarks/vision_bench.py [--frames 300] [--json OUT]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "vision"))

from perception_photos import (  # noqa: E402
    FRUITS,
    HAND_PHOTOS,
    OPENCV_DOC,
    cameraman,
    hopper,
    look_sideways,
    rotate,
    shut_eyes,
    turn_head,
)
from skimage import data as skimage_data  # noqa: E402

from codriver.vision.perception import Perceiver, PerceptionConfig  # noqa: E402
from codriver.vision.perception._mediapipe import FaceMeshGraph  # noqa: E402

WIDTH, HEIGHT = 640, 480


def _rgb(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def clip(frames: int, *, face: bool = True, hand: bool = False) -> Iterator[np.ndarray]:
    """640×480 frames, made one at a time: the face ~200 px wide drifting ±20 px and tilting ±5°
    over 3 s at 30 fps, in front of a real photo of a coffee cup."""
    portrait = cv2.resize(hopper(), (360, 422))
    background = cv2.resize(skimage_data.coffee(), (WIDTH, HEIGHT))
    palm = cv2.resize(_rgb(HAND_PHOTOS[0]), (160, 166)) if hand else None
    for index in range(frames):
        phase = 2 * math.pi * index / 90
        frame = background.copy()
        if face:
            frame[29:451, 140:500] = portrait
            shift = np.float32([[1, 0, 20 * math.sin(phase)], [0, 1, 8 * math.cos(phase)]])
            frame = cv2.warpAffine(frame, shift, (WIDTH, HEIGHT), borderMode=cv2.BORDER_REPLICATE)
            frame = rotate(frame, 5 * math.sin(phase / 2))
        if palm is not None:
            frame[300:466, 10:170] = palm
        yield np.ascontiguousarray(frame)


def speed(config: PerceptionConfig, frames: Iterator[np.ndarray], warmup: int = 10) -> dict:
    """Time spent in ``observe`` only (making the frames is not counted)."""
    with Perceiver(config) as perceiver:
        times, cpu, found = [], 0.0, 0
        for index, frame in enumerate(frames):
            start, start_cpu = time.perf_counter(), time.process_time()
            observation = perceiver.observe(frame, index / 30)
            if index >= warmup:
                times.append(time.perf_counter() - start)
                cpu += time.process_time() - start_cpu
                found += bool(observation.faces)
    return {
        "frames_per_s": round(len(times) / sum(times), 1),
        "cpu_ms_per_frame": round(1000 * cpu / len(times), 2),
        "p50_ms": round(1000 * statistics.median(times), 2),
        "p95_ms": round(1000 * sorted(times)[int(0.95 * len(times))], 2),
        "face_found": round(found / len(times), 3),
    }


MEMORY_CHILD = """
import sys
import numpy as np
from codriver.vision.perception import Perceiver, PerceptionConfig
frame = np.zeros((480, 640, 3), np.uint8)
frame[60:420, 200:440] = np.load(sys.argv[1])
with Perceiver(PerceptionConfig(hands=sys.argv[2] == "hands")) as perceiver:
    for index in range(100):
        perceiver.observe(frame, index / 30)
# VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited at fork)
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) / 1024)
"""


def peak_memory(hands: bool) -> float:
    """Peak RSS in MB of a fresh process that only perceives (this one also holds the photos)."""
    with tempfile.TemporaryDirectory() as folder:
        face = Path(folder) / "face.npy"
        np.save(face, cv2.resize(hopper(), (240, 360)))
        argv = [sys.executable, "-c", MEMORY_CHILD, str(face), "hands" if hands else "face"]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return round(float(done.stdout.split()[-1]), 1)


def accuracy() -> dict:
    faces = {"hopper": hopper(), "astronaut": skimage_data.astronaut()}
    empty = [skimage_data.coffee(), skimage_data.rocket(), skimage_data.chelsea()]
    empty += [_rgb(FRUITS), _rgb(OPENCV_DOC / "examples/data/baboon.jpg")]
    graph = FaceMeshGraph(max_faces=1, tracking=False, min_confidence=0.5)
    found, total, opened, shut = 0, 0, [], []
    roll_error, pitch_error, yaw_ratio, gaze_turn = [], [], [], []
    with Perceiver(PerceptionConfig(tracking=False, hands=True)) as still:

        def face(image: np.ndarray):
            nonlocal found, total
            total += 1
            faces_seen = still.observe(image, 0.0).faces
            found += bool(faces_seen)
            return faces_seen[0] if faces_seen else None

        for image in faces.values():
            mesh = graph.process(image)[0]
            base = face(image)
            assert base is not None
            opened += [base.eye_open_left, base.eye_open_right]
            closed = face(shut_eyes(image, mesh))
            if closed:
                shut += [closed.eye_open_left, closed.eye_open_right]
            for degrees in (-30.0, -15.0, 15.0, 30.0):
                turned = face(rotate(image, degrees))
                if turned:
                    roll_error.append(abs(turned.roll - base.roll - degrees))
                    opened += [turned.eye_open_left, turned.eye_open_right]
                yawed = face(turn_head(image, mesh, yaw=degrees))
                if yawed and abs(degrees) == 30.0:
                    yaw_ratio.append((yawed.yaw - base.yaw) / degrees)
            for fraction in (-0.2, 0.2):
                looking = face(look_sideways(image, mesh, fraction))
                if looking:
                    gaze_turn.append(round(looking.gaze_yaw - base.gaze_yaw, 1))
            for degrees in (-20.0, 20.0):
                tilted = face(turn_head(image, mesh, pitch=degrees))
                if tilted:
                    pitch_error.append(abs(tilted.pitch - base.pitch - degrees))
        profile = cameraman()
        near_profile = [
            round(still.observe(image, 0.0).faces[0].yaw, 1)
            for image in (profile, np.ascontiguousarray(profile[:, ::-1]))
        ]
        false_faces = sum(bool(still.observe(image, 0.0).faces) for image in empty)
        hands = [still.observe(_rgb(path), 0.0).hands for path in HAND_PHOTOS]
    graph.close()
    return {
        "face_found": f"{found}/{total}",
        "false_faces": f"{false_faces}/{len(empty)}",
        "ear_open_min": round(min(opened), 3),
        "ear_shut_max": round(max(shut), 3),
        "roll_error_mean_deg": round(statistics.mean(roll_error), 2),
        "roll_error_max_deg": round(max(roll_error), 2),
        "pitch_error_mean_deg": round(statistics.mean(pitch_error), 2),
        "pitch_error_max_deg": round(max(pitch_error), 2),
        "yaw_read_over_applied_at_30deg": [round(r, 2) for r in yaw_ratio],
        "yaw_real_near_profile_and_mirror_deg": near_profile,
        "gaze_turn_irises_moved_left_right_0.2_deg": gaze_turn,
        "hands_found": f"{sum(len(h) == 1 for h in hands)}/{len(hands)}",
        "hands_left_palm": f"{sum(bool(h) and h[0].shape == 'palm' for h in hands)}/{len(hands)}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300, help="frames timed per mode")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    n = args.frames + 10
    report = {
        "cores": len(os.sched_getaffinity(0)),
        "frame": f"{WIDTH}x{HEIGHT}",
        "face_tracking": speed(PerceptionConfig(), clip(n)),
        "face_and_hands_tracking": speed(PerceptionConfig(hands=True), clip(n, hand=True)),
        "face_and_one_hand_tracking": speed(
            PerceptionConfig(hands=True, max_hands=1), clip(n, hand=True)
        ),
        "face_detector_every_frame": speed(PerceptionConfig(tracking=False), clip(n)),
        "no_face_in_view": speed(PerceptionConfig(), clip(n, face=False)),
        "peak_rss_mb": {"face": peak_memory(False), "face_and_hands": peak_memory(True)},
        "accuracy": accuracy(),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
