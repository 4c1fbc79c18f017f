"""Home Assistant's intent tests, read and mapped to the car (for ``ha_sentences.py``).

Reads ``tests/<lang>/*.yaml`` of github.com/home-assistant/intents from a work tree or a bare git
directory, keeps the test cases whose intent and device a car has, and rewrites each sentence
with ``data/ha_car_mapping.yaml``: home words (areas, floors, device names) become car words, the
rest stays as Home Assistant wrote it. A sentence in which a home word survives is dropped and
counted; identical sentences after mapping are kept once.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / ".mirror" / "home-assistant+intents" / "repo"
MAPPING = Path(__file__).resolve().parent / "data" / "ha_car_mapping.yaml"
LANGS = {"en": "en", "zh": "zh-cn"}  # codriver's language → Home Assistant's tests folder


# --- reading Home Assistant's tests -------------------------------------------------------------


class Source:
    """Home Assistant's intents repository: a work tree (its files as they are) or any git
    directory, a bare mirror included (the files of ``rev``)."""

    def __init__(self, path: Path, rev: str = "HEAD") -> None:
        self.path, self.rev = path, rev
        self.tree = (path / "tests").is_dir() and rev == "HEAD"

    def exists(self) -> bool:
        return self.tree or (self.path / "HEAD").is_file() or (self.path / ".git").exists()

    def _git(self, *args: str) -> str:
        command = ["git", "-C", str(self.path), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def commit(self) -> str:
        try:
            return self._git("rev-parse", self.rev).strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown (not a git checkout)"

    def files(self, folder: str) -> list[str]:
        """The YAML files directly in ``tests/<folder>``."""
        if self.tree:
            names = [p.name for p in (self.path / "tests" / folder).iterdir() if p.is_file()]
        else:
            names = self._git("ls-tree", "--name-only", f"{self.rev}:tests/{folder}").split()
        return sorted(n for n in names if n.endswith(".yaml"))

    def read(self, folder: str, name: str) -> dict[str, Any]:
        if self.tree:
            text = (self.path / "tests" / folder / name).read_text(encoding="utf-8")
        else:
            text = self._git("show", f"{self.rev}:tests/{folder}/{name}")
        return yaml.safe_load(text) or {}


# --- the mapping --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """A home word and the car word that replaces it; ``zone`` is the car row an area stands for."""

    home: str
    car: str
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A sentence mapped to the car: its text, the rows it names, home words left in it."""

    text: str
    zones: tuple[str, ...]
    leftover: tuple[str, ...]


class Words:
    """One language's substitutions, applied at once, longest home word first."""

    def __init__(self, rules: Iterable[Rule], lang: str) -> None:
        self.rules = {r.home.casefold(): r for r in rules}
        self.lang = lang
        self.pattern = _alternation(self.rules, lang)

    def rewrite(self, text: str, home_names: Iterable[str] = ()) -> Rewrite:
        zones: list[str] = []
        kept: list[str] = []
        out: list[str] = []
        at = 0
        for match in self.pattern.finditer(text) if self.rules else ():
            rule = self.rules[match.group(0).casefold()]
            kept.append(text[at : match.start()])
            same = rule.car.casefold() == rule.home.casefold()  # a protected phrase stays as said
            out += [text[at : match.start()], match.group(0) if same else rule.car]
            zones += [rule.zone] if rule.zone else []
            at = match.end()
        kept.append(text[at:])
        out.append(text[at:])
        leftover = _find(home_names, kept, self.lang)
        return Rewrite(_tidy("".join(out)), tuple(dict.fromkeys(zones)), leftover)


def _alternation(words: Iterable[str], lang: str) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered) or "(?!)"
    if lang == "en":
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    return re.compile(body, re.IGNORECASE)


def _find(names: Iterable[str], pieces: list[str], lang: str) -> tuple[str, ...]:
    """The home names still present in the unsubstituted pieces of a sentence."""
    found = []
    for name in names:
        pattern = _alternation([name], lang)
        if any(pattern.search(piece) for piece in pieces):
            found.append(name)
    return tuple(found)


def _tidy(text: str) -> str:
    text = re.sub(r"\s{2,}", " ", text)
    return re.sub(r"\s+([?,.!])", r"\1", text).strip()


@dataclass(frozen=True, slots=True)
class CarMapping:
    """``ha_car_mapping.yaml``."""

    files: tuple[str, ...]
    left_out: dict[str, str]
    left_out_domains: dict[str, str]
    words: dict[str, Words]
    timer_words: dict[str, Words]
    by_name: dict[str, str]
    by_device_class: dict[str, str]
    by_domain: dict[str, str]
    expect: dict[str, dict[str, dict[str, Any]]]
    answer_only: frozenset[str]
    colors: dict[str, str]
    checked_domains: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> CarMapping:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        timer = raw.get("timer_words") or {}
        targets = raw["targets"]
        return cls(
            files=tuple(raw["files"]),
            left_out=dict(raw["left_out"]),
            left_out_domains=dict(raw.get("left_out_domains") or {}),
            words={lang: Words(_rules(raw["words"], lang), lang) for lang in LANGS},
            timer_words={
                lang: Words(_rules(raw["words"], lang) + _rules(timer, lang), lang)
                for lang in LANGS
            },
            by_name=dict(targets["by_name"]),
            by_device_class=dict(targets["by_device_class"]),
            by_domain=dict(targets["by_domain"]),
            expect=raw["expect"],
            answer_only=frozenset(raw["answer_only"]),
            colors=dict(raw["colors"]),
            checked_domains=frozenset(raw["checked_domains"]),
        )

    def reading(self, intent: str, target: str | None) -> dict[str, Any] | None:
        table = self.expect.get(intent, {})
        return table.get(target or "*") or table.get("*")


def _rules(table: dict[str, Any], lang: str) -> list[Rule]:
    """A language's rules; a later rule for the same home word wins."""
    return [Rule(*(str(x) for x in item)) for item in table.get(lang) or []]


# --- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    """One Home Assistant test sentence, mapped to the car, with what it should do there."""

    lang: str
    file: str
    intent: str
    said: str
    text: str
    target: str | None
    slots: dict[str, Any]
    zones: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.lang, self.text.casefold()


@dataclass
class Tally:
    """What was read, and what did not become a case (and why)."""

    read: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    duplicates: Counter[str] = field(default_factory=Counter)


def load_cases(
    source: Source, mapping: CarMapping, langs: Iterable[str]
) -> tuple[list[Case], Tally]:
    tally = Tally()
    cases: dict[tuple[str, str], Case] = {}
    for lang in langs:
        folder = LANGS[lang]
        fixtures = source.read(folder, "_fixtures.yaml")
        home = Home.of(fixtures, mapping.checked_domains)
        for name in source.files(folder):
            stem = name.removesuffix(".yaml")
            if stem == "_fixtures":
                continue
            data = source.read(folder, name)
            count = sum(len(t.get("sentences") or []) for t in data.get("tests") or [])
            tally.read[lang] += count
            if stem not in mapping.files:
                tally.left_out[_why_left_out(stem, mapping)] += count or 1
                continue
            for case in _cases_of(lang, stem, data, home, mapping, tally):
                if case.key in cases:
                    tally.duplicates[lang] += 1
                else:
                    cases[case.key] = case
    return list(cases.values()), tally


@dataclass(frozen=True, slots=True)
class Home:
    """A language's fixture home: the names that must not survive, and each device's domain."""

    names: tuple[str, ...]
    domains: dict[str, str]

    @classmethod
    def of(cls, fixtures: dict[str, Any], checked: frozenset[str]) -> Home:
        names = [a["name"] for a in fixtures.get("areas") or []]
        names += [f["name"] for f in fixtures.get("floors") or []]
        domains: dict[str, str] = {}
        for entity in fixtures.get("entities") or []:
            name = re.sub(r"\[(.*?)\]", r"\1", entity["name"])  # "Trader Joe[']s"
            domain = entity["id"].split(".")[0]
            domains.setdefault(name, domain)
            if domain in checked:
                names.append(name)
        return cls(tuple(sorted(set(names), key=len, reverse=True)), domains)


def _why_left_out(stem: str, mapping: CarMapping) -> str:
    for prefix, why in mapping.left_out.items():
        if stem.startswith(prefix):
            return why
    return f"not mapped: {stem}"


def _cases_of(
    lang: str,
    stem: str,
    data: dict[str, Any],
    home: Home,
    mapping: CarMapping,
    tally: Tally,
) -> Iterable[Case]:
    for test in data.get("tests") or []:
        intent = test["intent"]["name"]
        slots = dict(test["intent"].get("slots") or {})
        context = dict(test["intent"].get("context") or {})
        sentences = test.get("sentences") or []
        name = slots.get("name")
        named = home.domains.get(name) if isinstance(name, str) else None
        domain = slots.get("domain") or context.get("domain") or named
        if domain in mapping.left_out_domains:
            tally.left_out[mapping.left_out_domains[domain]] += len(sentences)
            continue
        target = car_target(slots, context, domain, mapping)
        if mapping.reading(intent, target) is None:
            tally.left_out[f"no car reading: {intent} {target}"] += len(sentences)
            continue
        timers = "Timer" in intent
        words = (mapping.timer_words if timers else mapping.words)[lang]
        for said in sentences:
            rewrite = words.rewrite(said, home.names)
            if rewrite.leftover:
                tally.dropped.append({"lang": lang, "text": said, "home": list(rewrite.leftover)})
                continue
            yield Case(lang, stem, intent, said, rewrite.text, target, slots, rewrite.zones)


def car_target(
    slots: dict[str, Any], context: dict[str, Any], domain: str | None, mapping: CarMapping
) -> str | None:
    """The car thing a case is about: by its device's name, device class, then domain."""
    if "conversation_command" in slots:
        return "later"
    name = slots.get("name")
    if isinstance(name, str) and name in mapping.by_name:
        return mapping.by_name[name]
    for where in (slots, context):
        device_class = where.get("device_class")
        if device_class in mapping.by_device_class:
            return mapping.by_device_class[device_class]
    return mapping.by_domain.get(domain or "")
