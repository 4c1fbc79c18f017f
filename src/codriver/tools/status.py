"""Status tools: answer questions about the car from its current state, acting on nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from codriver.text import Bilingual
from codriver.tools.base import Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES
from codriver.vehicle.seats import SEATS, hvac_station, seat_branch

Topic = Literal[
    "set_temperature", "cabin_temperature", "outside_temperature", "battery", "range", "locks",
    "windows", "media", "navigation", "speed", "trunk", "doors", "sunroof", "automations",
]  # fmt: skip


@tool("status")
def vehicle_status(ctx: ToolContext, topic: Topic) -> Effect:
    """Tell the occupant something about the car: temperatures, battery, range, locks, windows,
    what is playing, the route or the speed.

    Args:
        topic: what the occupant asked about.
    """
    answer: Bilingual = _ANSWERS[topic](ctx)
    return Effect(answer=answer)


def _num(ctx: ToolContext, path: str) -> str:
    value = ctx.number(path)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _set_temperature(ctx: ToolContext) -> Bilingual:
    value = _num(ctx, f"Vehicle.Cabin.HVAC.Station.{hvac_station(ctx.speaker)}.Temperature")
    return PHRASES.get("status.set_temperature", value=value)


def _locks(ctx: ToolContext) -> Bilingual:
    doors = [p for p in ctx.state if p.startswith("Vehicle.Cabin.Door.") and p.endswith("IsLocked")]
    unlocked = [p for p in doors if ctx.state.get(p) is False]
    return PHRASES.get("status.unlocked" if unlocked else "status.locked")


def _windows(ctx: ToolContext) -> Bilingual:
    open_ = [
        s for s in SEATS if ctx.number(f"Vehicle.Cabin.Door.{seat_branch(s)}.Window.Position") > 0
    ]
    if not open_:
        return PHRASES.get("status.windows_closed")
    names = [PHRASES.get(f"window.{s}") for s in open_]
    return PHRASES.get(
        "status.windows_open",
        windows=Bilingual(", ".join(n.en for n in names), "、".join(n.zh for n in names)),
    )


def _media(ctx: ToolContext) -> Bilingual:
    artist = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Played.Artist")
    track = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Played.Track")
    query = ctx.state.get("Cockpit.Media.Query")
    playing = ctx.state.get("Vehicle.Cabin.Infotainment.Media.Action") == "PLAY"
    if playing and artist:
        title = f"{track} — {artist}" if track else str(artist)
        return PHRASES.get("status.media", query=title)
    if playing and query:
        return PHRASES.get("status.media", query=query)
    return PHRASES.get("status.no_media")


def _navigation(ctx: ToolContext) -> Bilingual:
    place = ctx.state.get("Cockpit.Navigation.Destination")
    if place:
        return PHRASES.get("status.navigation", place=place)
    return PHRASES.get("nav.no_route")


def _open_or_closed(path: str, name: str) -> Callable[[ToolContext], Bilingual]:
    def answer(ctx: ToolContext) -> Bilingual:
        is_open = ctx.number(path) != 0
        return PHRASES.get(
            "status.is_open" if is_open else "status.is_closed", item=PHRASES.get(name)
        )

    return answer


def _doors(ctx: ToolContext) -> Bilingual:
    opened = [s for s in SEATS if ctx.state.get(f"Vehicle.Cabin.Door.{seat_branch(s)}.IsOpen")]
    return PHRASES.get("status.doors_open" if opened else "status.doors_closed")


def _automations(ctx: ToolContext) -> Bilingual:
    items = {
        kind: [str(t) for t in ctx.state.get(f"Cockpit.{kind}") or []]  # type: ignore[union-attr]
        for kind in ("Rules", "Reminders", "Timers")
    }
    if not any(items.values()):
        return Bilingual("no rules, reminders or timers are set", "现在没有规则、提醒或计时")
    en = "; ".join(f"{k.lower()}: {', '.join(v)}" for k, v in items.items() if v)
    names = {"Rules": "规则", "Reminders": "提醒", "Timers": "计时"}
    zh = "；".join(f"{names[k]}：{'、'.join(v)}" for k, v in items.items() if v)
    return Bilingual(en, zh)


_ANSWERS: dict[str, Callable[[ToolContext], Bilingual]] = {
    "automations": _automations,
    "trunk": _open_or_closed("Vehicle.Body.Trunk.Rear.Position", "trunk.rear"),
    "sunroof": _open_or_closed("Vehicle.Cabin.Sunroof.Position", "item.sunroof"),
    "doors": _doors,
    "set_temperature": _set_temperature,
    "cabin_temperature": lambda ctx: PHRASES.get(
        "status.cabin_temperature", value=_num(ctx, "Vehicle.Cabin.HVAC.AmbientAirTemperature")
    ),
    "outside_temperature": lambda ctx: PHRASES.get(
        "status.outside_temperature", value=_num(ctx, "Vehicle.Exterior.AirTemperature")
    ),
    "battery": lambda ctx: PHRASES.get(
        "status.battery",
        value=_num(ctx, "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"),
        km=int(ctx.number("Vehicle.Powertrain.Range") / 1000),
    ),
    "range": lambda ctx: PHRASES.get(
        "status.range", km=int(ctx.number("Vehicle.Powertrain.Range") / 1000)
    ),
    "locks": _locks,
    "windows": _windows,
    "media": _media,
    "navigation": _navigation,
    "speed": lambda ctx: PHRASES.get("status.speed", value=_num(ctx, "Vehicle.Speed")),
}

STATUS_TOOLS = Toolset("status", (vehicle_status,))
