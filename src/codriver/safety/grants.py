"""Who is behind an action, checked by the gate on every action: an outside agent (a remote client
of the car's MCP server, directly or through a rule it made) acts only within its grants, and never
on a yes that only an occupant can give. The table is ``data/grants.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml

from codriver.safety.action import ProposedAction, Verdict
from codriver.text import Bilingual

Grant = Literal["read", "cabin", "media", "navigation", "phone", "say"]
"""``read``: signals and look-ups (the manual, the car's status); ``cabin``: climate, body, seats,
lights, drive mode, rules and reminders; ``media``, ``navigation``, ``phone``: those tools;
``say``: speak to the assistant as an occupant would (a whole turn, any tool the grants allow)."""

GRANTS: tuple[Grant, ...] = get_args(Grant)


@cache
def _table() -> tuple[dict[str, Grant], dict[str, Bilingual]]:
    text = resources.files("codriver.safety").joinpath("data/grants.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    domains: dict[str, Grant] = {}
    for domain, grant in raw["domains"].items():
        if grant not in GRANTS:
            raise ValueError(f"grants.yaml: {domain}: unknown grant {grant!r}")
        domains[str(domain)] = grant
    reasons = {k: Bilingual.from_mapping(v, f"grants.yaml: {k}") for k, v in raw["reasons"].items()}
    return domains, reasons


def domain_grants() -> Mapping[str, Grant]:
    """The grant each tool domain needs; a domain not listed is never granted."""
    return _table()[0]


def check_grants(action: ProposedAction) -> Verdict | None:
    """Refuse an outside agent's action outside its grants, or one that waits on an occupant's
    yes of the tool's own asking; None when nothing here stands in the way."""
    if action.grants is None:
        return None
    reasons = _table()[1]
    needed = domain_grants().get(action.domain)
    if needed is None or needed not in action.grants:
        reason = reasons["not-granted"].format(tool=action.tool, grant=needed or "—")
        return Verdict("refuse", "not-granted", reason)
    if action.question is not None and not action.confirmed:
        template, asked = reasons["occupant-only"], action.question
        reason = Bilingual(
            template.en.format(question=asked.en), template.zh.format(question=asked.zh)
        )
        return Verdict("refuse", "occupant-only", reason)
    return None
