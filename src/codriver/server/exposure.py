"""Running the service where others can reach it: where the operator token comes from (never the
command line, never the log), TLS, refusing a bind beyond loopback in the clear, and keeping
tokens out of uvicorn's log lines."""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codriver.errors import ConfigError
from codriver.mcp.grants import is_loopback, readable_by_others
from codriver.server.config import new_token

TOKEN_ENV = "CODRIVER_TOKEN"
MIN_TOKEN = 16
NO_TOKEN_FLAG = (
    "--token is not accepted: a token on the command line can be read by every user of this "
    f"machine (ps, /proc, shell history). Put it in {TOKEN_ENV} or in a file given with "
    "--token-file"
)
_QUERY_TOKEN = re.compile(r"(token=)[^&\s\"']+")


@dataclass(frozen=True, slots=True)
class Tls:
    cert: Path
    key: Path


def tls_from(cert: Path | None, key: Path | None) -> Tls | None:
    """TLS from ``--tls-cert`` and ``--tls-key`` (both or neither), checked before serving."""
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise ConfigError("HTTPS needs both --tls-cert and --tls-key")
    for path in (cert, key):
        if not path.is_file():
            raise ConfigError(f"TLS: no file {path}")
    return Tls(cert, key)


def check_exposure(host: str, tls: Tls | None, insecure: bool) -> str | None:
    """Refuse to serve beyond loopback in the clear unless ``insecure``; then the warning."""
    if tls is not None or is_loopback(host):
        return None
    if not insecure:
        raise ConfigError(
            f"refusing to serve on {host} without TLS: tokens and everything said would cross "
            "the network in the clear. Give --tls-cert and --tls-key, or --insecure when a TLS "
            "proxy stands in front"
        )
    return (
        f"warning: serving on {host} without TLS (--insecure): tokens and everything said cross "
        "the network in the clear"
    )


def default_token_file(env: Mapping[str, str]) -> Path:
    state = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "codriver" / "serve-token"


def operator_token(env: Mapping[str, str], token_file: Path | None) -> tuple[str, str]:
    """The operator token and where it was found, for the start message (never the token).

    From ``$CODRIVER_TOKEN``, else from ``token_file`` (default :func:`default_token_file`),
    which is made with a fresh token, readable by its owner only, when it does not exist."""
    given = env.get(TOKEN_ENV) or None
    if given is not None and token_file is not None:
        raise ConfigError(f"give the operator token in {TOKEN_ENV} or in --token-file, not both")
    where = f"from {TOKEN_ENV}"
    if given is None:
        path = token_file or default_token_file(env)
        given, where = _read_or_make(path), f"in {path}"
        if readable_by_others(path):
            where += f" (warning: other users can read it: chmod 600 {path})"
    if len(given) < MIN_TOKEN:
        raise ConfigError(f"the operator token must be at least {MIN_TOKEN} characters")
    return given, where


def _read_or_make(path: Path) -> str:
    if not path.exists():
        _make(path)
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"token file {path}: {exc}") from exc


def _make(path: Path) -> None:
    """Write a fresh token to ``path`` (0600), atomically: several workers may start at once,
    and the first one's token is the one they all use."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(new_token() + "\n")
        try:
            with contextlib.suppress(FileExistsError):  # another worker got there first
                os.link(draft, path)
        finally:
            draft.unlink()
    except OSError as exc:
        raise ConfigError(f"cannot create the token file {path}: {exc}") from exc


class RedactTokens(logging.Filter):
    """Replaces ``token=…`` in a log line (a WebSocket URL with the token as a query parameter)
    and in its arguments (uvicorn's access lines format theirs late)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) if isinstance(a, str) else a for a in record.args)
        return True


def _redacted(text: str) -> str:
    return _QUERY_TOKEN.sub(r"\1[redacted]", text) if "token=" in text else text


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with every line passing :class:`RedactTokens` (as a dictConfig, so
    that each worker process sets it up too)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": f"{__name__}.RedactTokens"}}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact_tokens")
    return config


@dataclass(frozen=True, slots=True)
class Exposure:
    """How the service shows itself: where its operator token is (said at start instead of the
    token), TLS, and the warning to give at every start."""

    token_source: str
    tls: Tls | None = None
    warning: str | None = None


def exposure_from(
    env: Mapping[str, str],
    host: str,
    token_file: Path | None,
    tls: tuple[Path | None, Path | None],
    insecure: bool,
) -> tuple[str, Exposure]:
    """The operator token and the exposure the ``serve`` flags ask for; ConfigError when they
    do not add up or would serve in the clear beyond loopback."""
    checked = tls_from(*tls)
    warning = check_exposure(host, checked, insecure)
    token, source = operator_token(env, token_file)
    return token, Exposure(source, checked, warning)
