"""Drive scenarios as data: loading and checking files in the FORMAT.md v1.1 format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, get_args

from codriver.assistant.result import Outcome
from codriver.errors import ScenarioError
from codriver.scenarios.matchers import Matcher, compile_matcher
from codriver.vehicle.seats import SEATS, Seat
from codriver.yamlfile import YAMLError, load_yaml

OUTCOMES: tuple[str, ...] = get_args(Outcome)


class PathIndex(Protocol):
    """What the car has: exact signals (for values) and branches (for prefixes and gaze)."""

    def is_signal(self, path: str) -> bool: ...

    def is_branch(self, path: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Expect:
    outcome: tuple[Outcome, ...] = ()
    state: tuple[tuple[str, Matcher], ...] = ()
    unchanged: tuple[str, ...] = ()
    reply: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn: ``say`` (with ``speaker`` and ``gaze``), ``set`` or ``wait``."""

    kind: Literal["say", "set", "wait"]
    text: str = ""
    speaker: Seat = "driver"
    gaze: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0
    expect: Expect = Expect()


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    lang: Literal["en", "zh"]
    tags: tuple[str, ...]
    given: dict[str, object]
    turns: tuple[Turn, ...]
    file: str = ""


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file (or one scenario in it) that could not be loaded, and why."""

    file: str
    message: str


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files named directly, and every ``.yaml`` file under named folders, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise ScenarioError(f"{path}: no such file or folder")
    return files


def load_file(path: Path, known: PathIndex) -> tuple[list[Scenario], list[LoadProblem]]:
    """Every scenario in the file; each malformed one becomes a problem naming file and scenario."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        return [], [LoadProblem(str(path), f"cannot read YAML: {exc}")]
    items = raw if isinstance(raw, list) else [raw]
    scenarios, problems = [], []
    for index, item in enumerate(items, 1):
        try:
            scenarios.append(parse_scenario(item, known, str(path)))
        except ScenarioError as exc:
            problems.append(LoadProblem(str(path), f"scenario {index}: {exc}"))
    return scenarios, problems


def parse_scenario(raw: object, known: PathIndex, file: str = "") -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError("a scenario must be a mapping with id, lang and turns")
    sid = raw.get("id")
    where = f"{sid!r}" if sid else "(no id)"
    try:
        _only(raw, {"id", "lang", "tags", "given", "turns"})
        if not isinstance(sid, str) or not sid:
            raise ValueError("id must be non-empty text")
        if raw.get("lang") not in ("en", "zh"):
            raise ValueError(f"lang must be en or zh, not {raw.get('lang')!r}")
        tags = raw.get("tags") or []
        if not isinstance(tags, list):
            raise ValueError("tags must be a list")
        if not all(isinstance(t, str | int | float) and not isinstance(t, bool) for t in tags):
            raise ValueError(
                "tags must be words (quote yes/no/on/off: YAML reads them as true/false)"
            )
        given = _signals(raw.get("given") or {}, known, "given")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not turns:
            raise ValueError("turns must be a non-empty list")
        parsed = tuple(_turn(t, known, n) for n, t in enumerate(turns, 1))
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    return Scenario(sid, raw["lang"], tuple(str(t) for t in tags), given, parsed, file)


def _turn(raw: object, known: PathIndex, number: int) -> Turn:
    if not isinstance(raw, dict):
        raise ValueError(f"turn {number}: must be a mapping")
    kinds = [k for k in ("say", "set", "wait") if k in raw]
    if len(kinds) != 1:
        raise ValueError(
            f"turn {number}: needs exactly one of say, set, wait (has {kinds or 'none'})"
        )
    kind = kinds[0]
    allowed = {"say", "from", "gaze", "expect"} if kind == "say" else {kind, "expect"}
    try:
        _only(raw, allowed)
        expect = _expect(raw.get("expect") or {}, known)
        if kind == "say":
            return _say_turn(raw, known, expect)
        if kind == "set":
            return Turn("set", values=_signals(raw["set"], known, "set"), expect=expect)
        seconds = raw["wait"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError(f"wait needs seconds (a number ≥ 0), not {seconds!r}")
        return Turn("wait", seconds=float(seconds), expect=expect)
    except ValueError as exc:
        raise ValueError(f"turn {number}: {exc}") from None


def _say_turn(raw: dict[str, object], known: PathIndex, expect: Expect) -> Turn:
    text, speaker, gaze = raw["say"], raw.get("from", "driver"), raw.get("gaze")
    if not isinstance(text, str):
        raise ValueError(f"say needs text, not {text!r}")
    if speaker not in SEATS:
        raise ValueError(f"from must be one of {', '.join(SEATS)}, not {speaker!r}")
    if gaze is not None and (not isinstance(gaze, str) or not known.is_branch(gaze)):
        raise ValueError(f"gaze {gaze!r} is no signal or branch of the car")
    return Turn("say", text=text, speaker=speaker, gaze=gaze, expect=expect)  # type: ignore[arg-type]


def _expect(raw: object, known: PathIndex) -> Expect:
    if not isinstance(raw, dict):
        raise ValueError("expect must be a mapping")
    _only(raw, {"outcome", "state", "unchanged", "reply"}, "expect")
    outcome = raw.get("outcome", [])
    outcomes = outcome if isinstance(outcome, list) else [outcome]
    bad = [o for o in outcomes if o not in OUTCOMES]
    if bad:
        raise ValueError(f"outcome {bad} is not one of {', '.join(OUTCOMES)}")
    state = []
    for path, matcher in (raw.get("state") or {}).items():
        if not known.is_signal(path):
            raise ValueError(f"state: unknown signal {path!r}")
        try:
            state.append((str(path), compile_matcher(matcher)))
        except ValueError as exc:
            raise ValueError(f"state {path}: {exc}") from None
    unchanged = raw.get("unchanged") or []
    if not isinstance(unchanged, list) or not all(isinstance(p, str) for p in unchanged):
        raise ValueError("unchanged must be a list of signals or prefixes")
    for prefix in unchanged:
        if not known.is_branch(prefix):
            raise ValueError(f"unchanged: {prefix!r} names no signal or branch")
    reply = raw.get("reply")
    try:
        pattern = re.compile(str(reply), re.IGNORECASE) if reply is not None else None
    except re.error as exc:
        raise ValueError(f"reply: bad regular expression {reply!r}: {exc}") from None
    return Expect(tuple(outcomes), tuple(state), tuple(unchanged), pattern)


def _signals(raw: object, known: PathIndex, where: str) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a mapping of signals to values")
    for path in raw:
        if not isinstance(path, str) or not known.is_signal(path):
            raise ValueError(f"{where}: unknown signal {path!r}")
    return dict(raw)


def _only(raw: dict[str, object], allowed: set[str], where: str = "") -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        label = f"{where}: " if where else ""
        raise ValueError(f"{label}unknown keys {unknown} (allowed: {', '.join(sorted(allowed))})")
