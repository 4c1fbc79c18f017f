"""The profile routes: who usually sits where and what they like, per session."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from codriver.server import models as m
from codriver.server.api import ERRORS, CabinDep, Registry
from codriver.server.auth import guard_cabin, require_token
from codriver.services.profiles import Profile
from codriver.vehicle.seats import SEATS, Seat

router = APIRouter(
    prefix="/api",
    dependencies=[Depends(require_token), Depends(guard_cabin)],
    responses=ERRORS,
    tags=["profiles"],
)


@router.get("/sessions/{session_id}/profiles")
async def profiles(cabin: CabinDep) -> dict[Seat, m.ProfileOut]:
    """Each seat's occupant profile, as the assistant knows it now."""
    known = cabin.profiles()
    found = {seat: known.of(seat) for seat in SEATS}
    return {seat: _out(p) for seat, p in found.items() if p is not None}


@router.patch("/sessions/{session_id}/profiles/{seat}")
async def update_profile(
    seat: Seat, body: m.ProfilePatch, session_id: str, cabins: Registry
) -> m.ProfileOut:
    """Remember preferences for the occupant of ``seat`` ("usual settings" use them)."""
    updated = await cabins.remember(session_id, seat, body.model_dump(exclude_none=True))
    if updated is None:
        raise HTTPException(404, f"no profile for {seat} yet: send at least one preference")
    return _out(updated)


def _out(profile: Profile) -> m.ProfileOut:
    return m.ProfileOut(
        name=m.Names(en=profile.name.en, zh=profile.name.zh),
        temperature=profile.temperature,
        seat_heating=profile.seat_heating,
        music=profile.music,
        home=profile.home,
        work=profile.work,
    )
