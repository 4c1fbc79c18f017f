"""The cockpit ships its CJK font: the WOFF2 files cover every character of its Chinese strings and
every hanzi codriver's data can say, come with their licence and source, are served as font/woff2,
and Chromium renders a Chinese reply with them rather than with whatever the machine has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cockpit_browser import STATIC, Pages, say
from fastapi.testclient import TestClient

FONTS = STATIC / "fonts"
WEIGHTS = ["regular", "bold"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
DATA = Path(__file__).resolve().parents[2] / "src" / "codriver"
VOICE = DATA / "voice"


def shown_in_chinese() -> set[str]:
    """What the cockpit's Chinese strings and codriver's data can put on the screen in CJK."""
    zh = json.loads((STATIC / "strings.json").read_text(encoding="utf-8"))["zh"]
    text = json.dumps(zh, ensure_ascii=False)
    found = set(HAN.findall(text)) | set(CJK_PUNCTUATION.findall(text))
    for path in DATA.rglob("*"):
        if VOICE in path.parents:
            continue  # what the voice reads aloud (spoken forms, pinyin readings), never shown
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            found |= set(HAN.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return found


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_font_covers_what_the_cockpit_can_say(weight: str) -> None:
    pytest.importorskip("brotli", reason="reading WOFF2 needs brotli (fonttools[woff])")
    ttfont = pytest.importorskip("fontTools.ttLib").TTFont
    font = ttfont(str(FONTS / f"codriver-cjk-{weight}.woff2"))
    covered = {chr(code) for code in font.getBestCmap()}
    wanted = shown_in_chinese()
    assert len(wanted) > 3500  # the common hanzi are there, not only the cockpit's own words
    assert sorted(wanted - covered) == []
    assert "SIL Open Font License" in font["name"].getDebugName(13)


def test_the_font_is_small_and_comes_with_its_licence_and_source() -> None:
    total = sum((FONTS / f"codriver-cjk-{w}.woff2").stat().st_size for w in WEIGHTS)
    assert total <= 3 * 1024 * 1024
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text(encoding="utf-8")
    source = (FONTS / "SOURCE.md").read_text(encoding="utf-8")
    for fact in ("Noto Sans CJK SC", "fonts-noto-cjk", "Open Font License", "build_cockpit_font"):
        assert fact in source


def test_the_font_is_served_as_a_font(client: TestClient) -> None:
    response = client.get("/fonts/codriver-cjk-regular.woff2")
    assert response.status_code == 200
    assert response.headers["content-type"] == "font/woff2"
    assert response.content[:4] == b"wOF2"


# The fonts Chromium really drew a node's text with (DevTools protocol), by family name.
def drawn_with(page: object, selector: str) -> dict[str, int]:
    """Glyphs drawn per font: a web font's family (from its name table) with " (web)" after it."""
    cdp = page.context.new_cdp_session(page)  # type: ignore[attr-defined]
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {
        f["familyName"] + (" (web)" if f["isCustomFont"] else ""): f["glyphCount"] for f in fonts
    }


@pytest.mark.browser
def test_chinese_is_drawn_with_the_shipped_font(pages: Pages) -> None:
    page = pages.open("font-zh", "zh")
    say(page, "导航去杭州")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "[...document.fonts].filter((f) => f.family.replaceAll('\"', '') === 'CodriverCJK'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1
    assert page.evaluate("document.fonts.check('16px CodriverCJK', '导航')")
    family = page.locator(".msg.bot .bubble").last.evaluate(
        "(el) => getComputedStyle(el).fontFamily"
    )
    assert "CodriverCJK" in family
    text = page.locator(".msg.bot .bubble").last.text_content() or ""
    cjk = len(HAN.findall(text)) + len(CJK_PUNCTUATION.findall(text))
    reply = drawn_with(page, ".msg.bot:last-child .bubble")
    assert cjk > 5 and reply.get("Noto Sans CJK SC (web)") == cjk, (text, reply)  # all from it
    heading = drawn_with(page, "#climate-card h2 span[data-i18n]")  # 空调, in bold
    assert list(heading) == ["Noto Sans CJK SC (web)"], heading
