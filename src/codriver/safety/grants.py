"""Who is behind an action, checked by the gate on every action: an outside agent (a remote client
of the car's MCP server, directly or through a rule it made) acts only within its grants, and never
on a yes that only an occupant can give. The table is ``data/grants.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import cache
from typing import Literal, get_args

from codriver.safety.action import ProposedAction, Verdict
from codriver.text import Bilingual
from codriver.yamlfile import read_yaml

Grant = Literal["read", "cabin", "media", "navigation", "phone", "say"]
"""``read``: signals and look-ups (the manual, the car's status); ``cabin``: climate, body, seats,
lights, drive mode, rules and reminders; ``media``, ``navigation``, ``phone``: those tools;
``say``: speak to the assistant as an occupant would (a whole turn, any tool the grants allow)."""

GRANTS: tuple[Grant, ...] = get_args(Grant)


@cache
def _table() -> tuple[dict[str, Grant], dict[str, Grant], dict[str, Bilingual]]:
    raw = read_yaml("codriver.safety", "data/grants.yaml")
    domains, paths = _grants(raw["domains"], "domain"), _grants(raw["paths"], "path")
    reasons = {k: Bilingual.from_mapping(v, f"grants.yaml: {k}") for k, v in raw["reasons"].items()}
    return domains, paths, reasons


def _grants(raw: Mapping[str, str], what: str) -> dict[str, Grant]:
    for key, grant in raw.items():
        if grant not in GRANTS:
            raise ValueError(f"grants.yaml: {what} {key}: unknown grant {grant!r}")
    return {str(k): v for k, v in raw.items()}  # type: ignore[misc]


def path_grant(path: str) -> Grant:
    """The grant a change to ``path`` needs, whichever tool makes it."""
    return next(g for glob, g in _table()[1].items() if fnmatchcase(path, glob))


def domain_grants() -> Mapping[str, Grant]:
    """The grant each tool domain needs; a domain not listed is never granted."""
    return _table()[0]


def check_grants(action: ProposedAction) -> Verdict | None:
    """Refuse an outside agent's action outside its grants, or one that waits on an occupant's
    yes of the tool's own asking; None when nothing here stands in the way."""
    if action.grants is None:
        return None
    reasons = _table()[2]
    needed = domain_grants().get(action.domain)
    if needed is None or needed not in action.grants:
        reason = reasons["not-granted"].format(tool=action.tool, grant=needed or "—")
        return Verdict("refuse", "not-granted", reason)
    for write in action.effects:
        needed = path_grant(write.path)
        if needed not in action.grants:
            reason = reasons["not-granted"].format(tool=action.tool, grant=needed)
            return Verdict("refuse", "not-granted", reason)
    if action.question is not None and not action.confirmed:
        template, asked = reasons["occupant-only"], action.question
        reason = Bilingual(
            template.en.format(question=asked.en), template.zh.format(question=asked.zh)
        )
        return Verdict("refuse", "occupant-only", reason)
    return None
