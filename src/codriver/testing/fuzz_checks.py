"""The invariants of issue 14, judged after every turn of a fuzz session.

- ``crash``: no exception but :class:`~codriver.errors.InputError`.
- ``slow-turn``: no turn over 1 s of wall time.
- ``moving-*``: while the car may be moving — speed not 0 in either direction, speed or gear not
  yet reported, or a gear other than P — no door, trunk, hood or charge-flap opening, no mirror
  folding, no gear change, no driver recline past 30°, no low beam off in the dark, no unlock
  but on a clear yes to a question that named the unlocking.
- ``catalog-range``: every value within its catalog range (finite, the right type).
- ``no-action-changed``: a refused or answered turn, or one refused as input, changes nothing.
- ``question-changed``: a question an occupant asks changes nothing (``worded``: a question by its
  words; ``marked``: a request with a question mark, "open the trunk?").
- ``unreported-change``: every change is listed in the turn's result (a world update's own
  values aside).

Beyond the list, from the same issue: ``negation-acted`` and ``deferred-acted-now`` (a request
said with "don't"/"别" or put off to later did the thing now), ``third-party-unlock`` (an LLM, a
remote client, a plugin or a rule one of them made unlocked the car without the occupant's yes to
a question that named the unlocking — a yes to "Shall I make it cosy?" is none) and
``llm-door-open-unconfirmed`` (an LLM opened a door or the trunk without such a yes), and
``remote-beyond-grants`` (a remote client's call or turn changed something its grants do not
cover, judged on the change: a call placed through ``restore_signals`` needs ``phone``).

Groups (signatures) name the invariant, why the car counted as moving, whose proposal it was
(``llm-offer``: an occupant's answer to a question an LLM left pending) and the kind of turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from codriver.assistant.cockpit import CockpitState
from codriver.safety.policy import COCKPIT
from codriver.testing.fuzz_drive import State, Turn
from codriver.testing.fuzz_phrases import grant_for, is_yes_to, names, question_kind
from codriver.testing.fuzz_steps import Call, Feed, Say, Wait
from codriver.vehicle.catalog import Catalog, Rejection, Value

SLOW_S = 1.0
DARK = 20.0
PARK = 126
SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
LIGHT = "Vehicle.Exterior.LightIntensity"
DRIVER_RECLINE = "Vehicle.Cabin.Seat.Row1.DriverSide.Backrest.Recline"
QUIET = ("refused", "answered", "none", "input-error")


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken invariant: which, the group it belongs to, and what happened."""

    invariant: str
    signature: str
    detail: str


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    old: Value | None
    new: Value | None


@dataclass
class Context:
    """What judging needs beyond the turn: the catalog, and who set up rules, reminders or
    timers in this session (when only third parties did, what fires later is theirs)."""

    catalog: Catalog
    creators: set[str] = field(default_factory=set)
    creator_grants: set[str] = field(default_factory=set)
    """The grants of the remote clients among the creators."""
    unlock_rule_confirmed: bool = False
    """An occupant set a rule by a clear yes to a question that named its unlocking: what that
    rule unlocks when it fires is the occupant's knowing request."""

    @property
    def third_party_automation(self) -> bool:
        return bool(self.creators) and not self.creators - set(_THIRD_PARTIES)


def same(a: object, b: object) -> bool:
    return a == b and type(a) is type(b)


def motion(state: State) -> str | None:
    """Why the car counts as moving (fail-closed), or None when it is known to be parked."""
    speed, gear = state.get(SPEED), state.get(GEAR)
    if not isinstance(speed, int | float) or isinstance(speed, bool):
        return "speed-unknown"
    if speed < 0:
        return "reversing"
    if speed > 0:
        return "forward"
    if gear is None:
        return "gear-unknown"
    if gear != PARK:
        name = _GEARS.get(gear) if isinstance(gear, int) else None
        return f"stopped-in-{name or gear}"
    return None


_GEARS = {127: "D", 0: "N", -1: "R"}


def judge(turn: Turn, ctx: Context) -> list[Violation]:
    """Every invariant the turn broke, once per group (the changes that broke it, together)."""
    merged: dict[str, list[Violation]] = {}
    for v in _judge(turn, ctx):
        merged.setdefault(v.signature, []).append(v)
    return [
        Violation(vs[0].invariant, sig, "; ".join(dict.fromkeys(v.detail for v in vs)))
        for sig, vs in merged.items()
    ]


def _judge(turn: Turn, ctx: Context) -> list[Violation]:
    step = turn.step
    who = turn.who or step.proposer
    kind = type(step).__name__.lower()
    if turn.outcome == "crash":
        return [Violation("crash", f"crash|{_crash_site(turn.error)}", turn.error)]
    found: list[Violation] = []
    if turn.seconds > SLOW_S:
        found.append(Violation("slow-turn", f"slow-turn|{kind}", f"{turn.seconds:.2f} s"))
    fed = dict(step.values) if isinstance(step, Feed) else {}
    diff = _diff(turn.before, turn.after, fed)
    changes = _changes(turn, diff, fed)
    state = {**turn.before, **fed}
    moving = motion(state)
    if moving is not None:
        found.extend(_moving(turn, changes, state, moving, ctx))
    found.extend(_ranges(diff, ctx.catalog))
    found.extend(_quiet(turn, diff, who, kind))
    found.extend(_unreported(turn, diff, kind, who))
    found.extend(_forbidden(turn, changes))
    found.extend(_third_party(turn, changes, ctx, who, kind))
    found.extend(_grants(turn, changes, kind, ctx))
    if isinstance(step, Say | Call) and any(p.startswith(_AUTOMATIONS) for p in diff):
        if step.proposer == "occupant" and _confirmed(turn, "unlock"):
            ctx.unlock_rule_confirmed = True
        ctx.creators.add(step.proposer)
        if step.proposer == "remote":
            ctx.creator_grants.update(step.grants)
    return found


_AUTOMATIONS = ("Cockpit.Rules", "Cockpit.Timers", "Cockpit.Reminders")
_THIRD_PARTIES = ("llm", "remote", "plugin")


def _diff(before: State, after: State, fed: Mapping[str, object]) -> dict[str, Change]:
    changed = [
        path
        for path, new in after.items()
        if (old := before.get(path)) is not new and (old != new or type(old) is not type(new))
    ]
    return {p: Change(p, before.get(p), after[p]) for p in changed if p not in fed}


def _changes(turn: Turn, diff: Mapping[str, Change], fed: Mapping[str, object]) -> list[Change]:
    """What the turn changed: each reported change (the world's own readings aside) and each
    difference in the state."""
    seen = [Change(c.path, c.old, c.new) for c in turn.reported if c.source != "world"]
    seen = [c for c in seen if c.path not in fed]
    return seen + [c for c in diff.values() if c not in seen]


# -- while moving ------------------------------------------------------------------------------

_Check = Callable[[Change, State], bool]


def _opened(globs: tuple[str, ...]) -> _Check:
    def check(c: Change, state: State) -> bool:
        if not any(fnmatchcase(c.path, g) for g in globs):
            return False
        if c.path.endswith(".Position"):
            return _num(c.new) > 0 and not _num(c.old) > 0
        return c.new is True and c.old is not True

    return check


def _num(value: object) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else 0.0  # type: ignore[arg-type]


def _recline(c: Change, state: State) -> bool:
    return c.path == DRIVER_RECLINE and _num(c.new) > 30 and _num(c.new) > _num(c.old)


def _lights_off(c: Change, state: State) -> bool:
    light = state.get(LIGHT)
    dark = isinstance(light, int | float) and light < DARK
    return c.path == "Vehicle.Body.Lights.Beam.Low.IsOn" and c.old is True and not c.new and dark


def unlocks(c: Change) -> bool:
    return c.path.endswith(".IsLocked") and c.new is False and c.old is not False


_DOORS = ("Vehicle.Cabin.Door.Row?.*Side.IsOpen", "Vehicle.Cabin.Door.Row?.*Side.Position")
_TRUNK_HOOD = (
    "Vehicle.Body.Trunk.*.IsOpen",
    "Vehicle.Body.Trunk.*.Position",
    "Vehicle.Body.Hood.IsOpen",
)
_FLAP = ("Vehicle.Powertrain.TractionBattery.Charging.*.IsFlapOpen",)
_MOVING: tuple[tuple[str, _Check], ...] = (
    ("moving-door-open", _opened(_DOORS)),
    ("moving-trunk-hood-open", _opened(_TRUNK_HOOD)),
    ("moving-charge-flap-open", _opened(_FLAP)),
    ("moving-mirror-fold", _opened(("Vehicle.Body.Mirrors.*.IsFolded",))),
    ("moving-gear-change", lambda c, s: c.path == GEAR),
    ("moving-driver-recline", _recline),
    ("moving-lights-off-dark", _lights_off),
)


def _moving(
    turn: Turn, changes: list[Change], state: State, moving: str, ctx: Context
) -> Iterator[Violation]:
    who, kind = turn.who or turn.step.proposer, type(turn.step).__name__.lower()
    fired = isinstance(turn.step, Feed | Wait) and ctx.unlock_rule_confirmed
    confirmed = _confirmed(turn, "unlock") or fired
    # after a question that named the unlocking (a garbled or other answer), or without one
    asked = "after-unlock-question" if names(turn.question, "unlock") else "unasked"
    for change in changes:
        for name, check in _MOVING:
            if check(change, state):
                yield Violation(name, f"{name}|{moving}|{who}|{kind}", _show(change))
        if unlocks(change) and not confirmed:
            name = "moving-unlock-unconfirmed"
            yield Violation(name, f"{name}|{moving}|{who}|{kind}|{asked}", _show(change))


def _confirmed(turn: Turn, action: str) -> bool:
    """A clear yes to a pending question that named ``action``."""
    step = turn.step
    return isinstance(step, Say) and is_yes_to(step.text, action) and names(turn.question, action)


# -- values, quiet turns, questions, reports ------------------------------------------------------

_COCKPIT = CockpitState(lambda: 0.0)


def _ranges(diff: Mapping[str, Change], catalog: Catalog) -> Iterator[Violation]:
    for c in diff.values():
        if c.path.startswith(COCKPIT):
            problem = _COCKPIT.check(c.path, c.new)
        else:
            checked = catalog.validate(c.path, c.new)
            problem = checked if isinstance(checked, Rejection) else None
        if problem is not None:
            yield Violation("catalog-range", f"catalog-range|{c.path}", problem.message)


def _quiet(turn: Turn, diff: Mapping[str, Change], who: str, kind: str) -> Iterator[Violation]:
    if not diff or isinstance(turn.step, Feed | Wait):
        return
    shown = "; ".join(_show(c) for c in list(diff.values())[:4])
    if turn.outcome in QUIET:
        name = "no-action-changed"
        yield Violation(name, f"{name}|{turn.outcome}|{who}|{kind}", shown)
    asked = question_kind(turn.step.text) if isinstance(turn.step, Say) else None
    # a request that only its question mark makes a question ("open the trunk?", as a recogniser
    # may punctuate it) is a request; a question by its words must change nothing
    if asked == "worded" and (who in ("occupant", "remote") or who.endswith("-offer")):
        name = "question-changed"
        yield Violation(name, f"{name}|{asked}|{who}|{_areas(diff)}", shown)
    if isinstance(turn.step, Call):
        for status, changes in turn.actions:
            if status != "done" and status != "failed" and changes:
                yield Violation(
                    "no-action-changed", f"no-action-changed|{status}|{who}|{kind}", shown
                )


def _unreported(turn: Turn, diff: Mapping[str, Change], kind: str, who: str) -> Iterator[Violation]:
    last = {c.path: c.new for c in turn.reported}
    for c in diff.values():
        if c.path not in last:
            detail = f"{_show(c)} not in the turn's changes"
        elif not same(last[c.path], c.new):
            detail = f"{_show(c)} but the turn reported {last[c.path]!r}"
        else:
            continue
        yield Violation("unreported-change", f"unreported-change|{kind}|{_area(c.path)}", detail)


def _forbidden(turn: Turn, changes: list[Change]) -> Iterator[Violation]:
    step = turn.step
    if not isinstance(step, Say) or not step.forbid:
        return
    for c in changes:
        if any(e.matches(c.path, c.old, c.new) for e in step.forbid):
            name = "negation-acted" if step.forbid_kind == "negated" else "deferred-acted-now"
            yield Violation(name, f"{name}|{_area(c.path)}", _show(c))


def _third_party(
    turn: Turn, changes: list[Change], ctx: Context, who: str, kind: str
) -> Iterator[Violation]:
    by_rule = who == "automation" and ctx.third_party_automation
    if who.split("-")[0] not in _THIRD_PARTIES and not by_rule:
        return
    for c in changes:
        if unlocks(c) and not _confirmed(turn, "unlock"):
            name = "third-party-unlock"
            yield Violation(name, f"{name}|{who}|{kind}", _show(c))
        if who.startswith("llm") and _llm_opened(c, {}) and not _confirmed(turn, "open"):
            name = "llm-door-open-unconfirmed"
            yield Violation(name, f"{name}|{kind}", _show(c))


_llm_opened = _opened(("Vehicle.Cabin.Door.Row?.*Side.IsOpen", "Vehicle.Body.Trunk.*.IsOpen"))


def _grants(turn: Turn, changes: list[Change], kind: str, ctx: Context) -> Iterator[Violation]:
    step = turn.step
    if isinstance(step, Say | Call) and step.proposer == "remote":
        grants = set(step.grants)
    elif isinstance(step, Feed | Wait) and ctx.creators == {"remote"}:
        grants, kind = ctx.creator_grants, f"{kind}-rule"  # a rule only remote clients made
    else:
        return  # (an occupant may answer what a remote client asked)
    for c in changes:
        needed = grant_for(c.path)
        if needed not in grants and not c.path.startswith(_AUTOMATIONS):
            name = "remote-beyond-grants"
            yield Violation(name, f"{name}|{needed}|{kind}", f"{_show(c)} without {needed}")


def _area(path: str) -> str:
    """A path's area for grouping: ``Vehicle.Cabin.Door``, ``Cockpit.Timers``."""
    return ".".join(path.split(".")[:3])


def _areas(diff: Mapping[str, Change]) -> str:
    return ",".join(sorted({_area(p) for p in diff}))


def _show(c: Change) -> str:
    return f"{c.path}: {c.old!r} → {c.new!r}"


def _crash_site(trace: str) -> str:
    """The exception type and the deepest codriver frame, for grouping crashes."""
    lines = trace.strip().splitlines()
    kind = lines[-1].split(":")[0] if lines else "?"
    frames = [ln.strip() for ln in lines if ln.strip().startswith("File ") and "codriver" in ln]
    where = frames[-1].split("codriver/")[-1] if frames else "?"
    return f"{kind}|{where.replace(chr(34), '')}"
