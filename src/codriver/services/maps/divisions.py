"""China's administrative divisions by name: "许昌", "铁岭市", "长兴县", "广西" are places with a
centre, so a name said alone or a destination the map's own places lack still finds them.

The table (``data/cn_divisions.tsv``) is generated from cpca's division codes (MIT; see
``scripts/gen_divisions.py``). A division answers to its full name, and a province, prefecture or
county-level city or county also to its name without the unit ("许昌市" → "许昌", "广西壮族自治区"
→ "广西"); a district (区) or banner (旗) only to its full name, since without it many are everyday
words ("朝阳", "光明", "新华"). Where one name is several divisions, a prefecture-level one wins
over a province, a province over an autonomous prefecture, and any of them over a county: "吉林"
is the city, "海南" the province, "北京" the municipality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from codriver.errors import ConfigError

_UNIT = re.compile(
    r"^(.{2,}?)(?:(?:[\u4e00-\u9fff]{1,4}?族)*自治[区州县]|特别行政区|省|市|县|地区|盟)$"
)
_RANK = {"city": 0, "province": 1, "prefecture": 2, "county": 3}


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str
    name: str
    lat: float
    lon: float

    @property
    def level(self) -> str:
        """ "province", "city" (a prefecture-level city), "prefecture" (an autonomous one, a
        地区 or 盟) or "county" (every county-level division)."""
        if self.adcode[2:6] == "0000":
            return "province"
        if self.adcode[4:6] != "00":
            return "county"
        return "city" if self.name.endswith("市") else "prefecture"


@dataclass(frozen=True, slots=True)
class Divisions:
    by_name: dict[str, Division]
    longest: int

    def named(self, name: str) -> Division | None:
        """The division called exactly ``name`` (full or short), or None."""
        return self.by_name.get(name.strip())

    def leading(self, text: str) -> tuple[Division, str] | None:
        """The longest division name ``text`` starts with, and what follows it ("石家庄碧桂园"
        → 石家庄市, "碧桂园"); None when it starts with none."""
        for size in range(min(self.longest, len(text)), 1, -1):
            found = self.by_name.get(text[:size])
            if found is not None:
                return found, text[size:]
        return None


def short_name(name: str) -> str | None:
    """``name`` without its unit, when people say it so ("许昌市" → "许昌"); None otherwise."""
    matched = _UNIT.match(name)
    return matched.group(1) if matched else None


@cache
def divisions() -> Divisions:
    """The packaged table, read once."""
    try:
        text = resources.files(__package__).joinpath("data/cn_divisions.tsv").read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read China's divisions: {exc}") from exc
    full: dict[str, Division] = {}
    short: dict[str, Division] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, lat, lon = line.split("\t")
        division = Division(code, name, float(lat), float(lon))
        _keep(full, name, division)
        brief = short_name(name)
        if brief is not None:
            _keep(short, brief, division)
    by_name = {**short, **full}
    return Divisions(by_name, max(map(len, by_name)))


def _keep(table: dict[str, Division], name: str, division: Division) -> None:
    held = table.get(name)
    if held is None or _RANK[division.level] < _RANK[held.level]:
        table[name] = division
