"""Languages in the cockpit: a question or proactive offer comes with its text in both languages
and shows in the UI's, whatever language the assistant spoke it in; switching the UI's language
relabels the page in place, so the conversation keeps its action chips and timings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from cockpit_browser import TOKEN, Pages, say, slide
from fastapi.testclient import TestClient

from codriver.server.event_models import HelloEvent, SuggestionEvent

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIRED = {"en": "tired", "zh": "疲劳"}
TRUNK = {"en": "open the trunk", "zh": "打开后备箱"}


def until(ws: Any, kind: str) -> dict[str, Any]:
    while (event := ws.receive_json())["type"] != kind:
        pass
    return event  # type: ignore[no-any-return]


@pytest.mark.parametrize("spoken", ["zh", "en"])
def test_a_suggestion_carries_its_question_in_both_languages(
    client: TestClient, spoken: str
) -> None:
    client.post("/api/sessions", json={"id": "both", "lang": spoken})
    events = "/api/sessions/both/events"
    with client.websocket_connect(events, subprotocols=["codriver", f"bearer.{TOKEN}"]) as ws:
        until(ws, "hello")
        client.post("/api/sessions/both/sensors", json={"values": {"Vehicle.Speed": 100}})
        client.post(
            "/api/sessions/both/sensors", json={"values": {"Vehicle.Driver.FatigueLevel": 80}}
        )
        event = SuggestionEvent.model_validate(until(ws, "suggestion"))
    assert event.proactive and event.lang == spoken and event.texts is not None
    assert TIRED["en"] in event.texts.en and TIRED["zh"] in event.texts.zh
    assert event.text == getattr(event.texts, spoken)
    with client.websocket_connect(events, subprotocols=["codriver", f"bearer.{TOKEN}"]) as ws:
        hello = HelloEvent.model_validate(ws.receive_json())
    assert hello.pending is not None and hello.pending.texts == event.texts


@pytest.mark.browser
@pytest.mark.parametrize(("spoken", "shown"), [("zh", "en"), ("en", "zh")])
def test_the_ui_language_shows_the_offer_and_keeps_the_conversation(
    pages: Pages, service: Any, spoken: str, shown: str
) -> None:
    from playwright.sync_api import expect

    cabin = f"lang-{spoken}-{shown}"
    opened = {"id": cabin, "lang": spoken}
    httpx.post(f"{service.url}/api/sessions", json=opened, headers=AUTH).raise_for_status()
    page = pages.open(cabin, shown)
    say(page, TRUNK[spoken])  # an occupant speaks the other language than the screen's
    chips, timing = page.locator(".msg.bot .action"), page.locator(".msg.bot .latency")
    expect(chips).to_have_count(1)
    before = timing.last.text_content()
    page.evaluate("document.querySelector('.msg.bot').kept = true")
    slide(page, "Vehicle.Speed", 100)
    slide(page, "Vehicle.Driver.FatigueLevel", 80)
    offer = page.locator("#suggestion-text")
    expect(offer).to_contain_text(TIRED[shown])
    expect(page.locator(".msg.notice .bubble").last).to_contain_text(TIRED[shown])

    page.click(f'button[data-lang="{spoken}"]')
    expect(offer).to_contain_text(TIRED[spoken])
    expect(page.locator(".msg.notice .bubble").last).to_contain_text(TIRED[spoken])
    expect(page.locator(".msg.user .msg-meta").first).to_have_text(
        {"en": "Driver", "zh": "主驾"}[spoken]
    )
    expect(chips).to_have_count(1)
    assert timing.last.text_content() == before
    assert page.evaluate("document.querySelector('.msg.bot').kept") is True  # not redrawn
    page.click("#suggestion-accept")
    expect(page.locator("#suggestion")).to_be_hidden()
    expect(page.locator("#nav-card")).to_have_attribute("data-active", "true")
