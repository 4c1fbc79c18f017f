"""Who may use the car as an MCP server, and for what: a client (an agent on a phone, a desktop, an
OEM's cloud) holds a token and a set of grants. Its calls reach the safety gate as the ``remote``
source — an outside agent, never an occupant — so it can neither confirm on the occupant's behalf
nor unlock the car, and the moving-car rules hold for it as for anyone.

```yaml
clients:
  - name: phone-app
    token_env: PHONE_APP_TOKEN      # or token: "…"
    grants: [read, cabin, media]
```
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from codriver.errors import ConfigError
from codriver.safety.grants import GRANTS, Grant, domain_grants
from codriver.text import Lang
from codriver.vehicle.seats import Seat
from codriver.yamlfile import YAMLError, load_yaml

DOMAIN_GRANTS: Mapping[str, Grant] = domain_grants()
"""The grant each tool domain needs (``codriver/safety/data/grants.yaml``); a domain not listed
(``apps``) is never served. The safety gate checks it on every action an outside agent is behind."""


class ClientGrant(BaseModel):
    """One client of the car's MCP server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=40)
    token: str | None = Field(default=None, min_length=16)
    token_env: str | None = None
    grants: frozenset[Grant] = frozenset({"read"})
    lang: Lang = "en"
    """The language of the replies."""
    seat: Seat = "driver"
    """The seat a call acts for when it names none ("set it to 22": the driver's side)."""

    @model_validator(mode="after")
    def _one_token(self) -> ClientGrant:
        if self.token is not None and self.token_env is not None:
            raise ValueError("give token or token_env, not both")
        return self

    def secret(self) -> str | None:
        if self.token_env is not None:
            return os.environ.get(self.token_env) or None
        return self.token

    def allows(self, domain: str) -> bool:
        needed = DOMAIN_GRANTS.get(domain)
        return needed is not None and needed in self.grants


class _Clients(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clients: tuple[ClientGrant, ...]


def load_clients(path: Path) -> tuple[ClientGrant, ...]:
    """The clients file; every client must end up with a token."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        clients = _Clients.model_validate(raw).clients
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: {problems}") from exc
    for client in clients:
        if client.secret() is None:
            raise ConfigError(f"{path}: client {client.name} has no token (token or token_env)")
    return clients


def parse_grants(text: str) -> frozenset[Grant]:
    """``read,cabin`` → the grants; unknown names raise ConfigError."""
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = names - set(GRANTS)
    if unknown:
        raise ConfigError(f"unknown grants {sorted(unknown)}: use {', '.join(GRANTS)}")
    return frozenset(g for g in GRANTS if g in names)


def new_token() -> str:
    return secrets.token_urlsafe(24)


TOKEN_ENV = "CODRIVER_MCP_TOKEN"
MIN_TOKEN = 16


def one_token(env: Mapping[str, str], file: Path | None) -> str | None:
    """The one HTTP client's token, from ``$CODRIVER_MCP_TOKEN`` or a file — never from the
    command line, which every user of the machine can read (``ps``, ``/proc``, shell history).
    None when neither gives one (a token is then made up)."""
    given = env.get(TOKEN_ENV) or None
    if file is not None and given is not None:
        raise ConfigError(f"give the token in {TOKEN_ENV} or in --token-file, not both")
    if file is not None:
        try:
            given = file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"token file {file}: {exc}") from exc
    if given is not None and len(given) < MIN_TOKEN:
        raise ConfigError(f"the token must be at least {MIN_TOKEN} characters")
    return given


def readable_by_others(file: Path) -> bool:
    """Can users other than the owner read ``file`` (POSIX permissions)?"""
    try:
        return bool(file.stat().st_mode & 0o077)
    except OSError:
        return False


def is_loopback(host: str) -> bool:
    """Does ``host`` (an address or ``localhost``) only reach this machine?"""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


class Tokens:
    """Finds the client a bearer token belongs to (constant-time comparisons)."""

    def __init__(self, clients: Iterable[ClientGrant]) -> None:
        self._pairs = [(c.secret() or "", c) for c in clients]

    def client(self, token: str) -> ClientGrant | None:
        found = None
        for secret, client in self._pairs:
            if secret and hmac.compare_digest(secret.encode(), token.encode()):
                found = client
        return found
