"""What perception refuses (frames that are not RGB images), what it closes, what gaze adds to the
head pose."""

from __future__ import annotations

import math
import os

import pytest

if os.environ.get("CODRIVER_REQUIRE_VISION") == "1":
    import mediapipe  # noqa: F401
pytest.importorskip("mediapipe", reason="MediaPipe is not installed (extra [vision])")
np = pytest.importorskip("numpy")
skimage_data = pytest.importorskip("skimage.data", reason="scikit-image (dev extra) is missing")

from codriver.errors import InputError  # noqa: E402
from codriver.vision.perception import (  # noqa: E402
    FrameError,
    Perceiver,
    PerceptionConfig,
    check_frame,
    face_observation,
)
from codriver.vision.perception._mediapipe import FaceMeshGraph  # noqa: E402
from codriver.vision.perception.face import RIGHT_EYE, to_pixels  # noqa: E402
from codriver.vision.perception.pose import EYEBALL_RADIUS, head_axes  # noqa: E402

BAD_FRAMES = {
    "a list": [[0, 0, 0]],
    "float pixels": np.zeros((48, 64, 3), np.float32),
    "grey": np.zeros((48, 64), np.uint8),
    "rgba": np.zeros((48, 64, 4), np.uint8),
    "no rows": np.zeros((0, 64, 3), np.uint8),
    "no columns": np.zeros((48, 0, 3), np.uint8),
    "empty": np.array([], np.uint8),
}


@pytest.fixture(scope="module")
def perceiver():
    with Perceiver(PerceptionConfig(tracking=False)) as perceiver:
        yield perceiver


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_a_frame_that_is_not_an_rgb_image_is_refused_with_a_reason(frame, perceiver) -> None:
    with pytest.raises(FrameError) as caught:
        perceiver.observe(frame, 0.0)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, InputError)
    assert "frame" in str(caught.value)


def test_a_good_frame_passes_the_check_unchanged() -> None:
    frame = np.zeros((48, 64, 3), np.uint8)
    assert check_frame(frame) is frame


def test_a_blank_frame_has_no_face_and_keeps_its_size_and_time(perceiver) -> None:
    observation = perceiver.observe(np.full((480, 640, 3), 128, np.uint8), 2.25)
    assert (observation.t, observation.width, observation.height) == (2.25, 640, 480)
    assert observation.faces == () and observation.hands == ()


def test_a_closed_perceiver_refuses_frames() -> None:
    perceiver = Perceiver()
    perceiver.close()
    perceiver.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        perceiver.observe(np.zeros((48, 64, 3), np.uint8), 0.0)


def test_a_face_mesh_of_the_wrong_size_is_refused() -> None:
    with pytest.raises(ValueError, match="478"):
        face_observation(np.zeros((468, 3)), 640, 480)


def test_gaze_adds_the_irises_turn_to_the_head_pose() -> None:
    """On the astronaut's real mesh, both irises moved along the head's across axis by 0.2 of the
    eye width turn the gaze by asin(0.2 / EYEBALL_RADIUS), to the side they moved to."""
    image = skimage_data.astronaut()
    graph = FaceMeshGraph(max_faces=1, tracking=False, min_confidence=0.5)
    try:
        (mesh,) = graph.process(image)
    finally:
        graph.close()
    height, width = image.shape[:2]
    before = face_observation(mesh, width, height)
    points = to_pixels(mesh, width, height)
    across, _, _ = head_axes(points)
    eye_width = float(np.linalg.norm(points[RIGHT_EYE[0]] - points[RIGHT_EYE[3]]))
    shift = 0.2 * eye_width * across  # towards the image's right, i.e. the person looks there
    moved = points.copy()
    moved[468:478] += shift  # both irises, centres and rims
    after = face_observation(moved / [width, height, width], width, height)
    expected = math.degrees(math.asin(0.2 / EYEBALL_RADIUS))
    turn = after.gaze_yaw - before.gaze_yaw
    assert turn == pytest.approx(-expected, abs=3.0)  # right in the image is negative yaw
    assert (after.yaw, after.pitch) == (before.yaw, before.pitch)  # the head has not moved
