"""Profile tools: the occupant's usual settings, and remembering what they say they like."""

from __future__ import annotations

from typing import Literal

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.vehicle.seats import hvac_station, seat_branch

_NO_PROFILE = Bilingual("I don't know your usual settings yet.", "我还不知道您的习惯设置。")


@tool("profile")
def apply_usual_settings(ctx: ToolContext) -> Effect:
    """Set the speaker's seat the way they usually like it: temperature and seat heating."""
    profiles = getattr(ctx.services, "profiles", None)
    profile = profiles.of(ctx.speaker) if profiles is not None else None
    if profile is None:
        return Effect(failed=_NO_PROFILE)
    writes: dict[str, float | int] = {}
    if profile.temperature is not None:
        path = f"Vehicle.Cabin.HVAC.Station.{hvac_station(ctx.speaker)}.Temperature"
        writes[path] = profile.temperature
    if profile.seat_heating is not None:
        writes[f"Vehicle.Cabin.Seat.{seat_branch(ctx.speaker)}.HeatingCooling"] = (
            profile.seat_heating
        )
    if not writes:
        return Effect(failed=_NO_PROFILE)
    return Effect.set(
        writes,  # type: ignore[arg-type]
        Bilingual(
            f"your usual settings, {profile.name.en}: {profile.temperature:g}°C",
            f"{profile.name.zh}，已按您的习惯设置：{profile.temperature:g}度",
        ),
    )


@tool("profile")
def remember_preference(
    ctx: ToolContext,
    what: Literal["temperature", "seat_heating", "music", "home", "work"],
    value: str,
) -> Effect:
    """Remember something the speaker likes, for their profile.

    Args:
        what: which preference.
        value: the value as said (a temperature, a level, an artist, a place).
    """
    profiles = getattr(ctx.services, "profiles", None)
    if profiles is None:
        return Effect(failed=_NO_PROFILE)
    kept: object = value
    if what in ("temperature", "seat_heating"):
        try:
            kept = float(value) if what == "temperature" else int(float(value))
        except ValueError:
            return Effect(failed=Bilingual(f"{value} is not a number", f"{value}不是数字"))
    return Effect(
        done=Bilingual(
            f"I'll remember your {what.replace('_', ' ')}: {value}", f"好的，记住了：{value}"
        ),
        after=lambda: profiles.remember(ctx.speaker, what, kept),
    )


PROFILE_TOOLS = Toolset("profile", (apply_usual_settings, remember_preference))
