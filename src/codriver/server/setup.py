"""The store ``codriver serve`` uses: the one named, or an SQLite file under the user's data
directory; checked before the service starts, so a bad path or an unreachable server is one
clear error, not a traceback from inside a worker."""

from __future__ import annotations

from codriver.errors import ConfigError


def choose_store(spec: str | None, *, apps: bool) -> tuple[str, str | None]:
    """The store to use and, when it was not named, a line saying which one was taken."""
    if spec is None and apps:
        return "memory", "cabins are kept in memory (third-party apps answer from outside: "
        "their calls cannot be replayed from a log)"
    if spec is None:
        from codriver.server.store.sqlite_file import default_path

        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:{path}", f"cabins are kept in {path}"
    if apps and spec != "memory":
        raise ConfigError(
            "--apps needs --store memory: third-party apps answer from outside the cabin, so "
            "their calls cannot be replayed from a stored log"
        )
    return spec, None


def check_store(spec: str, workers: int) -> None:
    """Open the store once (StoreError, ConfigError); several workers need a shared one."""
    if spec == "memory" or spec.startswith("sqlite:"):
        if workers > 1:
            raise ConfigError(f"--workers {workers} needs a store they share: --store redis://…")
        if spec.startswith("sqlite:"):
            from codriver.server.store.sqlite import check

            check(spec)
        return
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from codriver.server.store.redis_check import check as check_redis

        check_redis(spec)
        return
    raise ConfigError(f"unknown store {spec!r}: memory, sqlite:PATH or redis://HOST:PORT/DB")
