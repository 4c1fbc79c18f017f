"""Minting cabin tokens: the operator hands a cabin's token (``drive`` or ``read``) to a head unit,
a phone or a screen that should see that one cabin and nothing else."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from codriver.server import models as m
from codriver.server.api import ERRORS, cabins_of
from codriver.server.auth import (
    CallerDep,
    access_of,
    guard_cabin,
    require_operator,
    require_token,
)

router = APIRouter(
    prefix="/api",
    dependencies=[Depends(require_token), Depends(guard_cabin)],
    responses=ERRORS,
    tags=["sessions"],
)


@router.post("/sessions/{session_id}/tokens", status_code=201)
async def mint(
    session_id: str, body: m.TokenRequest, caller: CallerDep, request: Request
) -> m.TokenOut:
    """A token for one cabin (operator only); it verifies on every worker until it expires."""
    require_operator(caller, "minting a cabin's token")
    async with (await cabins_of(request)).reading(session_id) as cabin:  # 404 when gone
        token, expires = access_of(request.app).issue(cabin.id, body.scope, body.ttl)
    return m.TokenOut(token=token, scope=body.scope, cabin=cabin.id, expires=expires)
