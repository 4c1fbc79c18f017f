"""Cabin tokens: signed, so that any worker holding the operator token verifies them without shared
state or a lookup.

A token is ``cabin.<payload>.<signature>``: the payload is base64url JSON naming the cabin, the
scope and the expiry (Unix seconds); the signature is HMAC-SHA256 over ``cabin.<payload>`` with a
key derived from the operator token. Changing the operator token revokes every cabin token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Literal, get_args

Scope = Literal["read", "drive"]
PREFIX = "cabin"
_KEY_LABEL = b"codriver cabin tokens v1"


@dataclass(frozen=True, slots=True)
class CabinGrant:
    """What a valid cabin token lets its holder do: read (``read``) or also drive one cabin."""

    cabin: str
    scope: Scope
    expires: float

    def may_change(self) -> bool:
        return self.scope == "drive"


class TokenRefused(Exception):
    """A cabin token that is malformed, forged or expired; the message says which."""


class CabinTokens:
    """Issues and verifies cabin tokens with a key derived from the operator token."""

    def __init__(self, operator_token: str) -> None:
        self._key = hmac.new(operator_token.encode(), _KEY_LABEL, hashlib.sha256).digest()

    def issue(self, cabin: str, scope: Scope, expires: float) -> str:
        payload = json.dumps({"c": cabin, "s": scope, "e": int(expires)}, separators=(",", ":"))
        signed = f"{PREFIX}.{_b64(payload.encode())}"
        return f"{signed}.{_b64(self._sign(signed))}"

    def verify(self, token: str, now: float) -> CabinGrant:
        """The grant a token carries; :class:`TokenRefused` unless it is whole, ours and current."""
        signed, _, signature = token.rpartition(".")
        if not signed.startswith(PREFIX + ".") or not hmac.compare_digest(
            signature.encode(), _b64(self._sign(signed)).encode()
        ):
            raise TokenRefused("wrong bearer token")
        grant = _grant(signed[len(PREFIX) + 1 :])
        if grant.expires <= now:
            raise TokenRefused(f"the token of cabin {grant.cabin!r} has expired")
        return grant

    def _sign(self, signed: str) -> bytes:
        return hmac.new(self._key, signed.encode(), hashlib.sha256).digest()


def looks_like_cabin_token(token: str) -> bool:
    return token.startswith(PREFIX + ".")


def _grant(payload: str) -> CabinGrant:
    """The payload of a token whose signature is right (so it was made by :meth:`issue`)."""
    try:
        fields = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        cabin, scope, expires = fields["c"], fields["s"], fields["e"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise TokenRefused("wrong bearer token") from exc
    if not isinstance(cabin, str) or scope not in get_args(Scope) or not isinstance(expires, int):
        raise TokenRefused("wrong bearer token")
    return CabinGrant(cabin, scope, float(expires))


def _b64(data: bytes) -> str:
    """base64url without padding: fits a header, a URL fragment and a WebSocket subprotocol."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
