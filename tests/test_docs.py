"""The documentation as a clone has it: every relative link in the README and in docs/ leads to a
file inside the repository, and the scenario format page covers every key the loader accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from codriver.assistant.cockpit import COCKPIT_PATHS
from codriver.scenarios.matchers import KEYS
from codriver.scenarios.model import OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(page: Path) -> list[str]:
    targets = (m.group(1).split("#")[0] for m in LINK.finditer(page.read_text(encoding="utf-8")))
    return [t for t in targets if t and not re.match(r"[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_relative_links_stay_in_the_repository(page: Path) -> None:
    for target in relative_links(page):
        path = (page.parent / target).resolve()
        assert ROOT in path.parents, f"{page.name} links {target}, outside the repository"
        assert path.exists(), f"{page.name} links {target}, which does not exist"


def test_the_scenario_page_names_every_key_of_the_format() -> None:
    page = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    keys = ["id", "lang", "tags", "given", "turns", "say", "from", "gaze", "set", "wait"]
    keys += ["expect", "outcome", "state", "unchanged", "reply"]
    for word in [*keys, *OUTCOMES, *COCKPIT_PATHS]:
        assert f"`{word}" in page, word
    for matcher in KEYS:
        assert f"{{{matcher}:" in page, matcher
    for flag in ["--brain", "--json", "--baseline", "--update-baseline"]:
        assert f"`{flag}" in page, flag
