"""ParkNow: an offline, deterministic parking finder over MCP — an example third-party app.
Finding car parks is ``parking`` and ``navigation`` and changes nothing (read-only); reserving a
space is ``parking`` and ``payments`` (it costs money, so codriver asks first).

    python -m examples.mcp_servers.parking                       # stdio
    python -m examples.mcp_servers.parking --http --port 8932    # Streamable HTTP at /mcp
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from ._serve import serve

Lang = Literal["en", "zh"]

Lot = tuple[str, str, str, int, int, int]
"""Id, English name, Chinese name, metres away, free spaces, yuan an hour."""

# area: (English names, Chinese names, its car parks)
AREAS: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[Lot]]] = {
    "bund": (
        ("bund",),
        ("外滩",),
        [
            ("P-BUND-1", "Bund Centre car park", "外滩中心停车场", 250, 34, 20),
            ("P-BUND-2", "Yuanmingyuan Road garage", "圆明园路停车库", 600, 8, 15),
        ],
    ),
    "peoples_square": (
        ("people's square", "peoples square", "people square"),
        ("人民广场",),
        [
            ("P-PSQ-1", "People's Square underground", "人民广场地下停车场", 150, 120, 15),
            ("P-PSQ-2", "Raffles City garage", "来福士停车库", 400, 0, 18),
        ],
    ),
    "airport": (
        ("airport", "hongqiao"),
        ("机场", "虹桥"),
        [("P-AIR-1", "Hongqiao T2 P9", "虹桥T2 P9停车楼", 300, 410, 10)],
    ),
}
NEARBY = [("P-NEAR-1", "Roadside car park", "路边停车场", 350, 12, 10)]

server: MCPServer[Any] = MCPServer(
    "parking", instructions="Find car parks with free spaces, and reserve one."
)


@server.tool(
    annotations=ToolAnnotations(read_only_hint=True),
    meta={"codriver/scopes": ["parking", "navigation"]},
)
def find_parking(near: str = "", lang: Lang = "en") -> str:
    """Car parks with free spaces near a place ("near the Bund", "人民广场附近").

    Args:
        near: the place, in words; empty for near the car.
        lang: en or zh.
    """
    lots = [lot for lot in _lots(near) if lot[4] > 0]
    if not lots:
        return "附近没有空车位。" if lang == "zh" else "No free spaces nearby."
    if lang == "zh":
        return "；".join(
            f"{zh}（{lot_id}），{m}米，空位{free}个，每小时{price}元"
            for lot_id, _, zh, m, free, price in lots
        )
    return "; ".join(
        f"{en} ({lot_id}), {m} m, {free} free, {price} yuan/h"
        for lot_id, en, _, m, free, price in lots
    )


@server.tool(meta={"codriver/scopes": ["parking", "payments"]})
def reserve_parking(lot: str, hours: int = 2, lang: Lang = "en") -> str:
    """Reserve a space in a car park (by the id find_parking gives, e.g. P-BUND-1).

    Args:
        lot: the car park's id.
        hours: how long, 1 to 12.
        lang: en or zh.
    """
    found = next((x for area in AREAS.values() for x in area[2] if x[0] == lot.upper()), None)
    if found is None or not 1 <= hours <= 12:
        raise ToolError(f"unknown car park {lot!r} or hours out of 1-12")
    lot_id, en, zh, _, free, price = found
    if free == 0:
        raise ToolError(f"{en} is full")
    code = "R" + hashlib.sha256(f"{lot_id}:{hours}".encode()).hexdigest()[:5].upper()
    if lang == "zh":
        return f"已预订{zh}，{hours}小时，共{hours * price}元，预订号{code}。"
    return f"Reserved at {en} for {hours} h, {hours * price} yuan, booking {code}."


def _lots(near: str) -> list[Lot]:
    text = near.lower()
    for en_names, zh_names, lots in AREAS.values():
        if any(n in text for n in en_names) or any(n in near for n in zh_names):
            return lots
    return NEARBY


if __name__ == "__main__":
    serve(server)
