"""Frame sources: a video file, a folder or list of images, a camera; each yields (t, RGB frame)
on the source's own clock, and each kind of source that gives no frames is a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

if os.environ.get("CODRIVER_REQUIRE_VISION") == "1":
    import cv2
np = pytest.importorskip("numpy", reason="the [vision] extra is not installed")
cv2 = pytest.importorskip("cv2", reason="the [vision] extra is not installed")

from codriver.errors import InputError  # noqa: E402
from codriver.vision.video import (  # noqa: E402
    Camera,
    ImageSequence,
    VideoFile,
    VideoSourceError,
    open_source,
)

OPENCV_VIDEO = Path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")


def colour_frame(index: int, width: int = 64, height: int = 48):
    """An RGB frame whose red channel counts the frame and whose green is constant."""
    frame = np.zeros((height, width, 3), np.uint8)
    frame[..., 0] = 20 * index + 10
    frame[..., 1] = 200
    return frame


def write_video(path: Path, frames: int, fps: float) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (64, 48))
    for index in range(frames):
        writer.write(cv2.cvtColor(colour_frame(index), cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def test_a_video_yields_rgb_frames_on_its_own_clock(tmp_path: Path) -> None:
    source = VideoFile(write_video(tmp_path / "drive.avi", frames=6, fps=10.0))
    frames = list(source)
    assert source.fps == pytest.approx(10.0)
    assert [t for t, _ in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5], abs=1e-3)
    for index, (_, frame) in enumerate(frames):
        assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8
        red, green, blue = (float(frame[..., c].mean()) for c in range(3))
        assert red == pytest.approx(20 * index + 10, abs=6)  # red first: RGB, not OpenCV's BGR
        assert green == pytest.approx(200, abs=6) and blue < 8
    assert len(list(source)) == 6  # a file can be read again


def test_a_real_video_from_opencv_doc_plays(tmp_path: Path) -> None:
    if not OPENCV_VIDEO.is_file():
        if os.environ.get("CODRIVER_REQUIRE_VISION") == "1":
            pytest.fail(f"{OPENCV_VIDEO} is missing: .ci/run installs Debian's opencv-doc")
        pytest.skip("Debian's opencv-doc is not installed")
    source = VideoFile(OPENCV_VIDEO)
    times = []
    for t, frame in source:
        assert frame.ndim == 3 and frame.shape[2] == 3
        times.append(t)
        if len(times) == 5:
            break
    assert times == sorted(times) and times[0] == 0.0
    assert times[1] == pytest.approx(1 / source.fps, abs=1e-3)


@pytest.mark.parametrize(
    "content",
    [None, b"", b"this is not a video, only text\n" * 20],
    ids=["missing", "empty-file", "text"],
)
def test_an_unreadable_video_is_a_clear_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "drive.mp4"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(VideoSourceError, match=r"drive\.mp4") as caught:
        VideoFile(path)
    assert isinstance(caught.value, InputError)


def test_a_video_without_frames_is_a_clear_error(tmp_path: Path) -> None:
    path = write_video(tmp_path / "none.avi", frames=0, fps=10.0)
    with pytest.raises(VideoSourceError, match=r"none\.avi"):
        VideoFile(path)


def _write_images(folder: Path, names: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    for index, name in enumerate(names):
        cv2.imwrite(str(folder / name), cv2.cvtColor(colour_frame(index), cv2.COLOR_RGB2BGR))


def test_a_folder_of_images_plays_in_natural_order(tmp_path: Path) -> None:
    # written in the order frame1, frame2, frame10: red counts that order
    _write_images(tmp_path / "cabin", ["frame1.png", "frame2.png", "frame10.png"])
    (tmp_path / "cabin" / "notes.txt").write_text("not an image")
    frames = list(ImageSequence(tmp_path / "cabin", fps=4.0))
    assert [t for t, _ in frames] == [0.0, 0.25, 0.5]
    assert [int(frame[0, 0, 0]) for _, frame in frames] == [10, 30, 50]


def test_a_list_of_images_keeps_its_order_and_grey_becomes_rgb(tmp_path: Path) -> None:
    grey = tmp_path / "grey.png"
    cv2.imwrite(str(grey), np.full((10, 12), 77, np.uint8))
    deep = tmp_path / "deep.png"
    cv2.imwrite(str(deep), np.full((10, 12, 3), 257 * 100, np.uint16))
    frames = list(ImageSequence([deep, grey], fps=2.0))
    assert [t for t, _ in frames] == [0.0, 0.5]
    assert [(f.shape, f.dtype, int(f[0, 0, 0])) for _, f in frames] == [
        ((10, 12, 3), np.uint8, 100),
        ((10, 12, 3), np.uint8, 77),
    ]


def test_folders_and_lists_without_images_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("no")
    with pytest.raises(VideoSourceError, match="holds no images"):
        ImageSequence(tmp_path / "empty")
    with pytest.raises(VideoSourceError, match="holds no images"):
        ImageSequence(tmp_path / "texts")
    with pytest.raises(VideoSourceError, match="no folder"):
        ImageSequence(tmp_path / "nowhere")
    with pytest.raises(VideoSourceError, match="at least one"):
        ImageSequence([])
    with pytest.raises(VideoSourceError, match=r"missing\.png"):
        ImageSequence([tmp_path / "missing.png"])
    with pytest.raises(VideoSourceError, match="positive"):
        ImageSequence(tmp_path / "texts", fps=0.0)


def test_a_broken_image_is_named_when_it_is_reached(tmp_path: Path) -> None:
    _write_images(tmp_path / "seq", ["a1.png"])
    (tmp_path / "seq" / "a2.png").write_bytes(b"\x89PNG but then nothing")
    frames = iter(ImageSequence(tmp_path / "seq"))
    assert next(frames)[0] == 0.0
    with pytest.raises(VideoSourceError, match=r"a2\.png"):
        next(frames)


def test_a_camera_that_is_not_there_is_a_clear_error() -> None:
    with pytest.raises(VideoSourceError, match="camera 63"):
        Camera(63)


def test_open_source_picks_the_kind_from_what_it_is_given(tmp_path: Path) -> None:
    _write_images(tmp_path / "seq", ["a.png", "b.png"])
    video = write_video(tmp_path / "v.avi", frames=2, fps=5.0)
    assert isinstance(open_source(tmp_path / "seq"), ImageSequence)
    assert isinstance(open_source(str(tmp_path / "seq" / "a.png")), ImageSequence)
    assert isinstance(open_source([tmp_path / "seq" / "b.png"]), ImageSequence)
    assert isinstance(open_source(video), VideoFile)
    with pytest.raises(VideoSourceError, match="camera 63"):
        open_source("63")
