"""Coffee Express: an offline, deterministic coffee pre-order service over MCP — an example
third-party app. Its tools say what they touch in ``_meta["codriver/scopes"]``: the menu is
``food``; an order is ``food`` and ``payments`` (it costs money, so codriver asks first).

    python -m examples.mcp_servers.coffee                       # stdio
    python -m examples.mcp_servers.coffee --http --port 8931    # Streamable HTTP at /mcp
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from ._serve import serve

Lang = Literal["en", "zh"]

DRINKS: dict[str, tuple[str, str, int]] = {
    # key: (English, Chinese, price of a medium in yuan)
    "latte": ("latte", "拿铁", 28),
    "americano": ("americano", "美式", 22),
    "cappuccino": ("cappuccino", "卡布奇诺", 28),
    "flat_white": ("flat white", "澳白", 30),
    "mocha": ("mocha", "摩卡", 30),
}
SIZES: dict[str, tuple[str, str, int]] = {
    "small": ("small", "小杯", -4),
    "medium": ("medium", "中杯", 0),
    "large": ("large", "大杯", 4),
}
_COUNTS = {"one": 1, "two": 2, "three": 3, "一": 1, "两": 2, "二": 2, "三": 3}
SHOP = ("Coffee Express, People's Square", "咖啡快订人民广场店")

server: MCPServer[Any] = MCPServer(
    "coffee",
    instructions="Order coffee ahead and pick it up on the way.",
)


@server.tool(annotations=ToolAnnotations(read_only_hint=True), meta={"codriver/scopes": ["food"]})
def menu(lang: Lang = "en") -> str:
    """The drinks and their prices (medium; small 4 yuan less, large 4 more).

    Args:
        lang: en or zh.
    """
    if lang == "zh":
        return "、".join(f"{zh}{price}元" for _, zh, price in DRINKS.values())
    return ", ".join(f"{en} {price} yuan" for en, _, price in DRINKS.values())


@server.tool(meta={"codriver/scopes": ["food", "payments"]})
def order(request: str, lang: Lang = "en") -> str:
    """Order drinks for pickup, described in words ("a large latte", "两杯美式").

    Args:
        request: what to order, in English or Chinese.
        lang: en or zh, for the confirmation.
    """
    text = request.lower()
    drink = next((key for key, (en, zh, _) in DRINKS.items() if en in text or zh in request), None)
    if drink is None:
        raise ToolError(f"要哪种？{menu('zh')}" if lang == "zh" else f"Which drink? {menu()}")
    size = next((k for k, (en, zh, _) in SIZES.items() if en in text or zh in request), "medium")
    count = _count(text)
    price = count * (DRINKS[drink][2] + SIZES[size][2])
    number = "C" + hashlib.sha256(request.encode()).hexdigest()[:4].upper()
    if lang == "zh":
        what = f"{count}杯{SIZES[size][1]}{DRINKS[drink][1]}"
        return f"订单{number}：{what}，共{price}元，10分钟后在{SHOP[1]}取。"
    name = DRINKS[drink][0] + ("s" if count > 1 else "")
    what = f"{count} {SIZES[size][0]} {name}"
    return f"Order {number}: {what}, {price} yuan, ready in 10 minutes at {SHOP[0]}."


def _count(text: str) -> int:
    found = re.search(r"\b([1-9])\b|\b(one|two|three)\b|([一两二三])杯", text)
    if found is None:
        return 1
    word = next(g for g in found.groups() if g)
    return int(word) if word.isdigit() else _COUNTS[word]


if __name__ == "__main__":
    serve(server)
