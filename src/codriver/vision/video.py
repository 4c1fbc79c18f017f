"""Frame sources: a video file, a folder or list of still images, a camera; each yields
``(t, frame)`` with ``t`` in seconds from the source's own clock and ``frame`` an RGB uint8 array.

Sources are checked when they are made (a missing or unreadable video, a video without frames, a
folder without images, a camera that does not open raise :class:`VideoSourceError`), and can be
iterated more than once, except a camera, which is live. Frames are only decoded into memory:
nothing is written or sent anywhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from codriver.errors import InputError, MissingExtraError

try:
    import cv2
    import numpy as np
    import numpy.typing as npt
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("video and camera input", "vision") from exc

ImageArray = npt.NDArray[np.uint8]
Frame = tuple[float, ImageArray]
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
DEFAULT_FPS = 30.0


class VideoSourceError(InputError):
    """A video, image folder or camera that gives no frames; the message says which and why."""


class FrameSource(Protocol):
    """Anything that yields timestamped RGB frames."""

    def __iter__(self) -> Iterator[Frame]: ...


def _rgb(image: ImageArray) -> ImageArray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)  # type: ignore[return-value]
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)  # type: ignore[return-value]
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)  # type: ignore[return-value]


def _natural_key(path: Path) -> list[object]:
    """Sort frame2 before frame10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


class VideoFile:
    """Frames of a video file; ``t`` is the container's timestamp, else frame index / fps."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise VideoSourceError(f"no video file at {self.path}")
        capture = cv2.VideoCapture(str(self.path))
        try:
            if not capture.isOpened():
                raise VideoSourceError(f"{self.path} is not a video this machine can decode")
            fps = float(capture.get(cv2.CAP_PROP_FPS))
            self.fps = fps if fps > 0 else DEFAULT_FPS
            readable, _ = capture.read()
            if not readable:
                raise VideoSourceError(f"{self.path} has no frames")
        finally:
            capture.release()

    def __iter__(self) -> Iterator[Frame]:
        capture = cv2.VideoCapture(str(self.path))
        try:
            index, last = 0, 0.0
            while True:
                readable, image = capture.read()
                if not readable:
                    return
                msec = float(capture.get(cv2.CAP_PROP_POS_MSEC))
                t = msec / 1000.0 if msec > 0 else index / self.fps
                last = t = max(t, last)  # a container without timestamps must not go back
                yield t, _rgb(image)  # type: ignore[arg-type]
                index += 1
        finally:
            capture.release()


class ImageSequence:
    """Still images taken ``1 / fps`` seconds apart: a folder (sorted naturally) or a list."""

    def __init__(self, images: str | Path | Sequence[str | Path], *, fps: float = DEFAULT_FPS):
        if fps <= 0:
            raise VideoSourceError(f"frames per second must be positive, not {fps}")
        self.fps = fps
        if isinstance(images, str | Path):
            folder = Path(images)
            if not folder.is_dir():
                raise VideoSourceError(f"no folder of images at {folder}")
            found = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
            self.paths = sorted(found, key=_natural_key)
            if not self.paths:
                raise VideoSourceError(f"{folder} holds no images ({', '.join(IMAGE_SUFFIXES)})")
        else:
            self.paths = [Path(p) for p in images]
            if not self.paths:
                raise VideoSourceError("an image sequence needs at least one image")
        missing = [str(p) for p in self.paths if not p.is_file()]
        if missing:
            raise VideoSourceError(f"no image at {', '.join(missing)}")

    def __iter__(self) -> Iterator[Frame]:
        for index, path in enumerate(self.paths):
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if image is None or image.size == 0:
                raise VideoSourceError(f"{path} is not an image this machine can decode")
            if image.dtype != np.uint8:  # 16-bit PNG or TIFF
                image = (image / 257).astype(np.uint8)
            yield index / self.fps, _rgb(image)  # type: ignore[arg-type]


class Camera:
    """A live camera by index; ``t`` is seconds since the first frame (monotonic clock)."""

    def __init__(self, index: int = 0, *, width: int | None = 640, height: int | None = 480):
        self.index, self.width, self.height = index, width, height
        capture = self._open()
        capture.release()

    def _open(self) -> cv2.VideoCapture:
        capture = cv2.VideoCapture(self.index)
        if not capture.isOpened():
            capture.release()
            raise VideoSourceError(f"camera {self.index} does not open (is there one?)")
        if self.width and self.height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        return capture

    def __iter__(self) -> Iterator[Frame]:
        capture = self._open()
        try:
            start: float | None = None
            while True:
                readable, image = capture.read()
                if not readable:
                    return
                now = time.monotonic()
                start = now if start is None else start
                yield now - start, _rgb(image)  # type: ignore[arg-type]
        finally:
            capture.release()


def open_source(
    source: str | Path | int | Sequence[str | Path], *, fps: float | None = None
) -> FrameSource:
    """The frame source a command line names: a camera index (``0``), a folder of images, an
    image file, a video file, or a list of image paths; ``fps`` spaces still images."""
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        return Camera(int(source))
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return ImageSequence(path, fps=fps or DEFAULT_FPS)
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return ImageSequence([path], fps=fps or DEFAULT_FPS)
        return VideoFile(path)
    return ImageSequence(source, fps=fps or DEFAULT_FPS)
