"""The core stays light: ``import codriver`` and ``codriver say`` load neither numpy, OpenCV nor
MediaPipe; only ``codriver.vision.perception`` and ``codriver.vision.video`` do."""

from __future__ import annotations

import subprocess
import sys


def test_the_core_and_codriver_say_load_no_camera_libraries() -> None:
    code = (
        "import sys, codriver, codriver.vision, codriver.vision.observation\n"
        "from codriver.cli.main import run\n"
        "sys.argv = ['codriver', 'say', 'set_volume level=50', '--brain', 'direct']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'cv2', 'mediapipe'})\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_without_mediapipe_the_perceiver_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['mediapipe'] = None  # as if it were not installed\n"
        "from codriver.errors import MissingExtraError\n"
        "from codriver.vision.perception import Perceiver\n"
        "try:\n    Perceiver()\nexcept MissingExtraError as exc:\n    print('MISSING', exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "MISSING" in result.stdout, result.stdout + result.stderr
    assert "codriver[vision]" in result.stdout
    assert "--no-deps mediapipe==0.10.21" in result.stdout
