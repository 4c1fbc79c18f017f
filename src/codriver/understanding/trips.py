"""Trips in what is said: a trip question that makes the whole utterance one question, a distance
the occupant gives standing in for a place, and one trip where two calls would look for it twice."""

from __future__ import annotations

from dataclasses import replace

from codriver.assistant.plan import ToolCall
from codriver.understanding.devices import load_devices
from codriver.understanding.frames import Frame


def one_trip(calls: list[ToolCall]) -> list[ToolCall]:
    """The calls without exact repeats, in order; a list of nearby places is dropped when the
    same utterance goes to the nearest of them ("最近的洗手间在哪，带我过去": one trip)."""
    seen: list[ToolCall] = []
    for call in calls:
        if all(call.name != c.name or dict(call.args) != dict(c.args) for c in seen):
            seen.append(call)
    going = {str(c.args.get("place")) for c in seen if c.name in ("navigate_to", "add_waypoint")}
    nearest = {
        str(spec.args.get("category")): str(spec.args["nearest"])
        for spec in load_devices().values()
        if "nearest" in spec.args
    }
    return [
        c
        for c in seen
        if not (c.name == "find_nearby" and nearest.get(str(c.args.get("category"))) in going)
    ]


def asking_about_trip(frames: list[Frame]) -> list[Frame]:
    """ "去苏州来回一趟，电够不够": a trip question makes the whole utterance a question — going
    there is asked about, not started — and its clauses one question."""
    trips = [f for f in frames if "trip" in f.actions or "navigate" in f.actions]
    if not any("trip" in f.actions for f in frames) or len(trips) < 2:
        return frames
    asked = next(f for f in frames if "trip" in f.actions)
    merged = replace(
        trips[0],
        actions=("trip",),
        query=next((f.query for f in trips if f.query), None),
        cues=set().union(*(f.cues for f in trips)),
        sentence=asked.sentence,
        question=asked.question,
    )
    rest = [f for f in frames if f not in trips]
    return [merged, *rest]


KM_PER = {"km": 1.0, "miles": 1.609344}
_RANGE_TOPICS = ("battery", "range")


def with_given_distance(calls: list[ToolCall], frames: list[Frame]) -> list[ToolCall]:
    """A range question about a distance the occupant gives ("my sister is 150 km away, is the
    battery enough?", "开150公里电够吗", "去我丈母娘家还有180公里，电撑得住吗"): the check for that
    distance, not the battery level nor the map's distance to a place named with it."""
    said = next((f for f in frames if f.unit in KM_PER and f.number), None)
    if said is None or said.number is None or said.unit is None:
        return calls
    given = said.number * KM_PER[said.unit]
    if "round_trip" in said.cues:
        given /= 2  # "来回300公里": the whole trip is 300
    out = []
    for call in calls:
        topic = call.args.get("topic") if call.name == "vehicle_status" else None
        if topic in _RANGE_TOPICS or call.name == "trip_info":  # the distance said wins:
            # "去我丈母娘家还有180公里，电撑得住吗" is about those 180 km, wherever that home is
            args = {"distance_km": round(given, 1)}
            if call.args.get("round_trip"):
                args["round_trip"] = True
            call = ToolCall("trip_info", args)
        out.append(call)
    return out
