"""Media and phone services: what a query or a name resolves to in either language, misspelt,
or not at all; and what play_media, set_media_source, call_contact and hang_up do in the car."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from codriver.assistant import Assistant, TurnResult
from codriver.services.media import OfflineMedia, offline_media
from codriver.services.phone import OfflinePhone, dialable, offline_phone
from codriver.testing import ScriptedBrain, offline_assistant
from codriver.vehicle import Value

MEDIA = offline_media()
PHONE = offline_phone()
PLAYED = "Vehicle.Cabin.Infotainment.Media.Played"
ACTION = "Vehicle.Cabin.Infotainment.Media.Action"
QUERY = "Cockpit.Media.Query"
CALL = "Cockpit.Phone.Call"


def run(text: str, *calls: tuple[str, dict[str, Any]]) -> tuple[Assistant, TurnResult]:
    """An assistant that answers ``text`` with ``calls``, after the turn."""
    assistant = offline_assistant(brain=ScriptedBrain.calls(list(calls)))
    return assistant, asyncio.run(assistant.say(text))


def read(assistant: Assistant, path: str) -> Value | None:
    return asyncio.run(assistant.read(path))


# -- media: resolving ---------------------------------------------------------------------------

RESOLVED = [
    ("周杰伦", "artist", "Jay Chou"),
    ("Jay Chou", "artist", "Jay Chou"),
    ("来点周杰伦的歌", "artist", "Jay Chou"),
    ("some Taylor Swift songs", "artist", "Taylor Swift"),
    ("霉霉", "artist", "Taylor Swift"),
    ("晴天", "track", "Sunny Day"),
    ("周杰伦的稻香", "track", "Dao Xiang"),
    ("Hello by Adele", "track", "Hello"),
    ("加州旅馆", "track", "Hotel California"),
    ("Bohemian Rhapsody", "track", "Bohemian Rhapsody"),
    ("爵士乐", "genre", "jazz"),
    ("jazz", "genre", "jazz"),
    ("摇滚", "genre", "rock"),
    ("轻音乐", "genre", "light music"),
    ("something chill", "genre", "relaxing music"),
    ("upbeat", "genre", "upbeat music"),
    ("上海交通广播", "station", "Shanghai Traffic Radio"),
    ("动感101", "station", "Music Radio"),
    ("FM 101.7", "station", "Music Radio"),
    ("调到FM101.7", "station", "Music Radio"),
    ("93.4", "station", "Shanghai News Radio"),
    ("Love Radio 103.7", "station", "Love Radio"),
    ("收音机调到FM九十三点四", "station", "Shanghai News Radio"),
    ("幺零五点七", "station", "Shanghai Traffic Radio"),
    ("Bluetooth", "source", "Bluetooth"),
    ("我手机里的歌", "source", "Bluetooth"),
    ("U盘", "source", "USB"),
]


@pytest.mark.parametrize(("query", "kind", "name"), RESOLVED, ids=[r[0] for r in RESOLVED])
def test_a_query_in_either_language_resolves_to_its_item(query: str, kind: str, name: str) -> None:
    item = MEDIA.resolve(query)
    assert item is not None
    assert (item.kind, item.name.en) == (kind, name)


MISSPELT = [
    ("Tayler Swift", "Taylor Swift"),
    ("Colplay", "Coldplay"),
    ("Bohemian Rapsody", "Bohemian Rhapsody"),
    ("Ed Sheren", "Ed Sheeran"),
    ("邓紫琪", "G.E.M."),
    ("陈奕讯", "Eason Chan"),
    ("周杰论的歌", "Jay Chou"),
]


@pytest.mark.parametrize(("query", "name"), MISSPELT, ids=[m[0] for m in MISSPELT])
def test_a_misspelt_or_misheard_name_still_resolves(query: str, name: str) -> None:
    item = MEDIA.resolve(query)
    assert item is not None and item.name.en == name


@pytest.mark.parametrize("query", ["Kenny G", "上海", "music", "1989", "周"], ids=str)
def test_a_query_the_catalog_does_not_know_resolves_to_nothing(query: str) -> None:
    assert MEDIA.resolve(query) is None


def test_a_frequency_no_station_uses_is_still_tuned() -> None:
    item = MEDIA.resolve("FM 88.8")
    assert item is not None
    assert (item.kind, item.source, item.label("en")) == ("station", "FM", "FM 88.8")


def test_a_station_label_carries_its_frequency_in_each_language() -> None:
    item = MEDIA.resolve("交通台")
    assert item is not None
    assert item.label("zh") == "上海交通广播 FM105.7"
    assert item.label("en") == "Shanghai Traffic Radio FM 105.7"


CATALOG = """
genres: [{id: classical, en: classical music, zh: 古典音乐}]
artists:
  - name: {en: Nocturne, zh: 夜曲乐队}
    genre: classical
    tracks: [{en: Nocturne, zh: 夜曲}]
"""


def test_the_kind_asked_for_wins_a_tie_and_otherwise_the_song_does() -> None:
    media = OfflineMedia.load(CATALOG)
    assert media.resolve("Nocturne") == media.resolve("Nocturne", "track")
    artist = media.resolve("Nocturne", "artist")
    song = media.resolve("Nocturne", "track")
    assert artist is not None and artist.kind == "artist"
    assert song is not None and song.kind == "track"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("artists: [{name: {en: A, zh: 甲}, genre: polka}]", "unknown genre"),
        ("sources: [{source: CASSETTE, en: Tape, zh: 磁带}]", "unknown source"),
        ("genres: [{id: x, en: only english}]", "both 'en' and 'zh'"),
    ],
    ids=["genre", "source", "one-language"],
)
def test_a_broken_catalog_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        OfflineMedia.load(text)


def test_a_song_reports_its_artist_and_title_in_their_own_language() -> None:
    song = MEDIA.resolve("Dao Xiang")
    assert song is not None
    assert song.played() == {"Artist": "周杰伦", "Track": "稻香", "Genre": "pop music"}
    adele = MEDIA.resolve("阿黛尔")
    assert adele is not None
    assert adele.played() == {"Artist": "Adele", "Track": "", "Genre": "pop music"}


# -- media: playing -----------------------------------------------------------------------------


def test_playing_a_song_keeps_it_as_the_query_and_names_it_in_the_reply() -> None:
    assistant, result = run("放周杰伦的稻香", ("play_media", {"query": "周杰伦的稻香"}))
    assert result.outcome == "done"
    assert read(assistant, QUERY) == "稻香"
    assert read(assistant, ACTION) == "PLAY"
    assert read(assistant, f"{PLAYED}.Source") == "INTERNET"
    assert "周杰伦" in result.reply and "稻香" in result.reply
    playing = assistant.services.media.now_playing
    assert playing is not None and playing.name.zh == "稻香"


def test_the_query_keeps_the_language_it_was_said_in() -> None:
    assistant, result = run("play Jay Chou", ("play_media", {"query": "Jay Chou"}))
    assert read(assistant, QUERY) == "Jay Chou"
    assert result.reply == "Playing Jay Chou."


def test_a_station_is_tuned_on_fm_and_its_frequency_kept() -> None:
    assistant, result = run("打开收音机，调到FM101.7", ("play_media", {"query": "FM101.7"}))
    assert read(assistant, QUERY) == "动感101 FM101.7"
    assert read(assistant, f"{PLAYED}.Source") == "FM"
    assert "101.7" in result.reply


def test_an_unknown_query_is_played_as_a_search() -> None:
    assistant, result = run("play Kenny G", ("play_media", {"query": "Kenny G"}))
    assert result.outcome == "done"
    assert read(assistant, QUERY) == "Kenny G"
    assert read(assistant, ACTION) == "PLAY"
    assert result.reply == "Playing Kenny G."


@pytest.mark.parametrize(
    ("call", "source"),
    [
        (("play_media", {"query": "Bluetooth"}), "BLUETOOTH"),
        (("set_media_source", {"source": "USB"}), "USB"),
        (("set_media_source", {"source": "FM"}), "FM"),
    ],
    ids=["play-bluetooth", "source-usb", "source-radio"],
)
def test_switching_the_source_plays_from_it(call: tuple[str, dict[str, Any]], source: str) -> None:
    assistant, result = run("切到 Bluetooth 放我手机里的歌", call)
    assert result.outcome == "done"
    assert read(assistant, f"{PLAYED}.Source") == source
    assert read(assistant, ACTION) == "PLAY"
    assert result.reply.startswith("已切换到")


# -- phone: resolving ---------------------------------------------------------------------------

CONTACTS = [
    ("妈妈", "Mom"),
    ("Mom", "Mom"),
    ("mum", "Mom"),
    ("老妈", "Mom"),
    ("my dad", "Dad"),
    ("爸爸", "Dad"),
    ("张伟", "Zhang Wei"),
    ("Zhang Wei", "Zhang Wei"),
    ("zhangwei", "Zhang Wei"),
    ("王经理的", "Manager Wang"),
    ("Manager Wang", "Manager Wang"),
    ("老王", "Lao Wang"),
    ("Li Na", "Li Na"),
    ("李娜", "Li Na"),
    ("Alice", "Alice"),
    ("爱丽丝", "Alice"),
    ("david", "David"),
    ("+1 202 555 0105", "David"),
]


@pytest.mark.parametrize(("said", "name"), CONTACTS, ids=[c[0] for c in CONTACTS])
def test_a_contact_is_found_by_name_alias_or_number(said: str, name: str) -> None:
    assert [c.name.en for c in PHONE.find(said)] == [name]


@pytest.mark.parametrize(
    ("said", "name"),
    [("Davd", "David"), ("Kevn", "Kevin"), ("Alise", "Alice"), ("Sarha", "Sarah")],
    ids=str,
)
def test_a_misspelt_contact_is_still_found(said: str, name: str) -> None:
    assert [c.name.en for c in PHONE.find(said)] == [name]


@pytest.mark.parametrize("said", ["Bob", "王小明", "Jennifer", "13800138000"], ids=str)
def test_someone_not_in_the_contacts_is_not_found(said: str) -> None:
    assert PHONE.find(said) == ()


@pytest.mark.parametrize(
    ("said", "names"),
    [("Wang", {"Lao Wang", "Manager Wang"}), ("Li", {"Xiao Li", "Li Na"})],
    ids=["wang", "li"],
)
def test_a_surname_shared_by_contacts_finds_them_all(said: str, names: set[str]) -> None:
    assert {c.name.en for c in PHONE.find(said)} == names


@pytest.mark.parametrize(
    ("said", "digits"),
    [("138 0013 8000", "13800138000"), ("+1 (202) 555-0101", "+12025550101"), ("110", "110")],
    ids=["spaced", "punctuated", "emergency"],
)
def test_a_phone_number_is_recognised(said: str, digits: str) -> None:
    assert dialable(said) == digits


@pytest.mark.parametrize("said", ["Mom", "12", "call 110", ""], ids=repr)
def test_a_name_or_a_short_number_is_no_phone_number(said: str) -> None:
    assert dialable(said) is None


def test_a_contact_without_a_number_is_rejected() -> None:
    with pytest.raises(ValueError, match="no phone number"):
        OfflinePhone.load("contacts: [{name: {en: Ann, zh: 安}, number: unknown}]")


# -- phone: calling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "contact", "call", "reply"),
    [
        ("给妈妈打个电话", "妈妈", "妈妈", "正在呼叫妈妈"),
        ("can you ring my dad", "my dad", "Dad", "Calling Dad"),
        ("call Zhang Wei", "Zhang Wei", "Zhang Wei", "Calling Zhang Wei"),
        ("帮我拨一下王经理的电话", "王经理的", "王经理", "正在呼叫王经理"),
    ],
    ids=["zh-mom", "en-dad", "en-zhang-wei", "zh-manager"],
)
def test_calling_a_contact_places_the_call_under_their_name(
    text: str, contact: str, call: str, reply: str
) -> None:
    assistant, result = run(text, ("call_contact", {"contact": contact}))
    assert result.outcome == "done"
    assert read(assistant, CALL) == call
    assert result.reply.startswith(reply)
    placed = assistant.services.phone.call
    assert placed is not None and placed.contact is not None


def test_someone_not_in_the_contacts_is_not_called() -> None:
    assistant, result = run("call Bob", ("call_contact", {"contact": "Bob"}))
    assert result.outcome == "refused"
    assert read(assistant, CALL) == ""
    assert "Bob isn't in your contacts" in result.reply
    assert assistant.services.phone.call is None


def test_a_number_is_called_as_said() -> None:
    assistant, result = run("call 138 0013 8000", ("call_contact", {"contact": "138 0013 8000"}))
    assert result.outcome == "done"
    assert read(assistant, CALL) == "138 0013 8000"
    assert assistant.services.phone.call.number == "13800138000"


def test_two_equally_good_contacts_are_asked_about_and_the_answer_calls_one() -> None:
    assistant, result = run("call Wang", ("call_contact", {"contact": "Wang"}))
    assert result.outcome == "asked"
    assert read(assistant, CALL) == ""
    assert "Lao Wang" in result.reply and "Manager Wang" in result.reply
    answer = asyncio.run(assistant.say("Manager Wang"))
    assert answer.outcome == "done"
    assert read(assistant, CALL) == "Manager Wang"


def test_hanging_up_ends_the_call_and_says_so_when_there_is_none() -> None:
    brain = ScriptedBrain.calls([("call_contact", {"contact": "Alice"})], [("hang_up", {})])
    assistant = offline_assistant(brain=brain)
    asyncio.run(assistant.say("call Alice"))
    assert read(assistant, CALL) == "Alice"
    result = asyncio.run(assistant.say("hang up"))
    assert (result.outcome, read(assistant, CALL)) == ("done", "")
    assert assistant.services.phone.call is None
    _, idle = run("hang up", ("hang_up", {}))
    assert idle.outcome == "answered"
    assert "no call" in idle.reply
