"""From tagged tokens to frames: one frame per thing the occupant asked for.

A frame collects a device, an action, zones, a value, a colour or mode, needs and dialogue cues. A
new frame starts at a clause break, or when a slot that is already filled comes again (a second
action after "turn on the A/C", a second number after "driver 23").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from codriver.understanding.lexicon import QueryWords, Token
from codriver.understanding.names import (
    TRANSPORT,
    dialled,
    name_end,
    only_a_place_kind,
    plausible,
    starts_chinese,
)
from codriver.understanding.sentence import OPEN_SLOT, Clause

_WEAK_ACTIONS = ("set",)


@dataclass
class Frame:
    """What one part of an utterance asks for; unfilled slots are resolved later."""

    device: str | None = None
    actions: tuple[str, ...] = ()
    zones: list[str] = field(default_factory=list)
    number: float | None = None
    unit: str | None = None
    qual: str | None = None
    color: str | None = None
    modes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    deictic: bool = False
    question: bool = False
    """A question about the state (decided by ``sentence.py`` for the clause it is in)."""
    asked: tuple[str, ...] = ()
    """What question words asked about ("temperature" for "how hot", "几度")."""
    sentence: Clause | None = None
    at: int = -1
    """Where in the utterance the frame's first word starts."""
    duration: bool = False
    """It holds a duration ("20 minutes"): a time, never a value for a device."""
    free: tuple[int, int] | None = None
    query: str | None = None
    raw_spans: list[tuple[int, int]] = field(default_factory=list)
    """The run of unknown words just before the latest known one (a name before "a ring")."""
    words: int = 0
    unknown: int = 0
    heard: int = 0
    """Words known only by their sound (a guessed recognition slip)."""
    around: int = 0
    """Unknown words in the rest of the frame's clause ("… Hangzhou … minus twenty")."""

    @property
    def action(self) -> str | None:
        return self.actions[0] if self.actions else None

    @property
    def has_value(self) -> bool:
        """An explicit target: a number, an extreme or half, a colour ("a bit" is not one)."""
        return (
            self.number is not None or self.qual not in (None, "little", "lot") or bool(self.color)
        )

    def empty(self) -> bool:
        return not (
            self.device
            or self.actions
            or self.zones
            or self.has_value
            or self.modes
            or self.needs
            or self.cues
            or self.query
            or self.question
            or self.deictic
            or self.qual
            or self.free
        )


_PARTICLES = {"up", "down", "往上", "往下"}
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def build_frames(
    tokens: list[Token],
    text: str,
    parts: dict[str, str] | None = None,
    words: QueryWords | None = None,
) -> list[Frame]:
    """Split the tagged utterance into frames; ``parts`` maps a device to the one it is part of."""
    words = words or QueryWords()
    whole_of = parts or {}
    frames: list[Frame] = []
    frame = Frame()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "sep" or (token.has("sep") and not _only_cue(token, frame)):
            frame = _close(frames, frame)
            if token.has("dialogue", "more") and token.kind != "sep":
                frame.cues.add("more")
            i += 1
            continue
        if frame.at < 0:
            frame.at = token.start
        if token.kind == "number" and _timed(tokens, i):
            frame.duration = True  # "过30分钟", "in 20 minutes": when, not how much
            frame.words += 2
            i += 2
            continue
        if token.kind == "number":
            if frame.number is not None:
                frame = _close(frames, frame, inherit=True)
                frame.at = token.start
            frame.number = token.number
            frame.words += 1
            _widen(frame, token)
            if dialled(token.text, words) is not None:
                frame.raw_spans = [(token.start, token.end)]  # "给13100004075打电话"
        elif token.kind == "raw":
            _widen(frame, token)
            frame.unknown += 1
            frame.words += 1
            frame.raw_spans.append((token.start, token.end))
        else:
            if not _keeps_name(token):
                frame.raw_spans.clear()
            if i and tokens[i - 1].kind == "number" and token.ids("unit"):
                token = _unit_only(token)  # "25 degrees": the number's unit, not a device
            opened = _apply(frame, token, whole_of)
            if opened is not None:
                frame = _close(frames, frame)
                frame.at = token.start
                _apply(frame, token, whole_of)
            slot = next((a for a in frame.actions if a in OPEN_SLOT), None)
            if slot is not None and frame.query is None and token.ids("action"):
                i = _take_query(tokens, i + 1, text, frame, slot, words)
                if frame.query and i < len(tokens) and _only_names_media(tokens[i], slot):
                    if tokens[i].ids("action") == ["video"]:
                        frame.actions = ("video",)  # "play Inception movie"
                    i += 1  # "play Bohemian Rhapsody track": the word says what the name is
                if frame.query and i < len(tokens) and _requests(tokens[i]):
                    frame = _close(frames, frame)  # "导航去外滩打开空调": a new request follows
                    frame.at = tokens[i].start
                continue
        i += 1
    if _cues_only(frame):
        frames.append(frame)
    else:
        _close(frames, frame)
    return frames


def _only_names_media(token: Token, slot: str) -> bool:
    """A word after a title that only says it is music or a video ("track", "movie")."""
    if slot not in ("play", "video") or token.kind != "tags":
        return False
    return (token.ids("device") == ["media"] and not token.ids("action")) or (
        token.ids("action") == ["video"] and not token.ids("device")
    )


def _requests(token: Token) -> bool:
    """A token that starts a request of its own (a verb or a device; not "and back")."""
    return token.kind == "tags" and bool(token.ids("action") or token.ids("device"))


def _timed(tokens: list[Token], i: int) -> bool:
    """A number followed by a unit of time."""
    return i + 1 < len(tokens) and bool(tokens[i + 1].ids("time"))


def _unit_only(token: Token) -> Token:
    return replace(token, tags=tuple(t for t in token.tags if t.kind == "unit"))


def _cues_only(frame: Frame) -> bool:
    return bool(frame.cues) and replace(frame, cues=set(), zones=[]).empty() and not frame.unknown


def _keeps_name(token: Token) -> bool:
    """Filler and the slot words themselves do not separate a name from its verb."""
    if all(t.kind in ("filler", "stop") for t in token.tags):
        return True
    return bool(set(token.ids("action")) & set(OPEN_SLOT))


def _only_cue(token: Token, frame: Frame) -> bool:
    """ "再" is a clause break after a full request, and "more" at the start of one."""
    return token.has("dialogue", "more") and frame.empty()


def _close(frames: list[Frame], frame: Frame, inherit: bool = False) -> Frame:
    nxt = Frame()
    if _cues_only(frame):  # "no, the sunroof": the cue belongs to what follows
        nxt.cues = set(frame.cues)
        nxt.zones = list(frame.zones)
        return nxt
    if not frame.empty():
        frames.append(frame)
    if inherit:
        nxt.device, nxt.actions = frame.device, frame.actions
        nxt.cues = frame.cues & _CARRIED  # "don't unlock the car 零点零点…": still "don't"
    return nxt


_CARRIED = frozenset({"negation", "no"})
"""Cues a frame passes on with its verb when a second number splits it."""


def _widen(frame: Frame, token: Token) -> None:
    start = token.start if frame.free is None else frame.free[0]
    frame.free = (start, token.end)


def _apply(frame: Frame, token: Token, whole_of: dict[str, str]) -> bool | None:
    """Put the token's tags in the frame; returns True when the frame is full and must close."""
    devices, actions = token.ids("device"), token.ids("action")
    zones = token.ids("zone")
    if "correction" in token.ids("dialogue") and frame.device and frame.actions:
        return True  # "开一下窗户哦不是天窗": what follows corrects what came before
    devices = _revise_device(frame, devices, bool(actions), whole_of)
    particle = token.text.strip().lower() in _PARTICLES
    if particle and set(actions) <= {"up", "down"} and frame.device and frame.number is None:
        if frame.action in (None, *_WEAK_ACTIONS):
            frame.actions = tuple(actions)
        actions = []  # a direction particle: "put the window down", "tilt the sunroof up"
        devices = [d for d in devices if d != frame.device]
    new_device = devices and frame.device and frame.device not in devices
    if new_device and (frame.actions or frame.has_value) and not token.has("stop"):
        return True
    if (
        actions
        and frame.actions
        and (frame.device or frame.has_value)
        and (frame.action not in _WEAK_ACTIONS or frame.has_value)
        and not (set(actions) & set(frame.actions))
    ):
        return True
    if zones == ["all"] and frame.zones:
        zones = []  # "后排两个窗户都…": "all" of the seats already named
    if zones and frame.zones and frame.has_value and not devices and not actions:
        return True
    frame.words += 1
    frame.heard += token.heard
    if devices and not frame.device:
        frame.device = devices[0]
    slot_verb = bool(set(actions) & set(OPEN_SLOT))
    transport = bool(set(actions) & (TRANSPORT | {"video"})) and frame.action == "play"
    # "播放下一首", "play a movie": what the play word plays
    if frame.action in TRANSPORT and actions == ["play"]:
        actions = []  # "切换到下一首播放": the play word adds nothing
    if actions and (not frame.actions or frame.action in _WEAK_ACTIONS or slot_verb or transport):
        frame.actions = tuple(actions)
    elif actions and set(actions) & set(frame.actions) and set(actions) != set(frame.actions):
        frame.actions = tuple(a for a in frame.actions if a in actions)
    for zone in zones:
        if zone not in frame.zones:
            frame.zones.append(zone)
    _apply_values(frame, token)
    _apply_marks(frame, token)
    return None


def _revise_device(
    frame: Frame, devices: list[str], with_verb: bool, whole_of: dict[str, str]
) -> list[str]:
    """Which of the token's devices still counts after what the frame already names."""
    if devices and with_verb and frame.device and not frame.actions and not frame.has_value:
        frame.device = None  # "音乐小声点": the word that says what to do names the device too
    if devices and devices[0].startswith("topic_") and frame.device and not frame.actions:
        frame.device = None  # "这首歌是谁唱的": the question names what is asked about
    if devices and frame.device and whole_of.get(devices[0]) == frame.device:
        frame.device = devices[0]  # "天窗的遮阳帘": the part, not the whole
        return []
    if devices and frame.device and whole_of.get(frame.device) == devices[0]:
        return []  # "the ventilation in my seat": the part was named first
    return devices


def _apply_marks(frame: Frame, token: Token) -> None:
    """Needs, dialogue cues, pointing words and question words."""
    frame.needs.extend(n for n in token.ids("need") if n not in frame.needs)
    frame.cues.update(token.ids("dialogue"))
    if token.has("deictic"):
        frame.deictic = True
    frame.asked = (*frame.asked, *(q for q in token.ids("question") if q not in frame.asked))
    if token.has("time", "half_hour"):
        frame.duration = True


def _apply_values(frame: Frame, token: Token) -> None:
    for qual in token.ids("value"):
        frame.qual = frame.qual or qual
    for unit in token.ids("unit"):
        if unit == "and_half":  # "nineteen and a half", "二十二度半"
            if frame.number is not None:
                frame.number += 0.5
            if token.text.endswith("度"):
                frame.unit = frame.unit or "celsius"
            continue
        named_scale = frame.unit == "degree" and unit in ("celsius", "fahrenheit")
        frame.unit = unit if named_scale else frame.unit or unit  # "72 degrees Fahrenheit"
    for color in token.ids("color"):
        if _CJK_CHAR.fullmatch(token.text) and not (frame.device or frame.actions):
            continue  # one character alone is often part of a name ("小红", "红颜")
        frame.color = color
    frame.modes.extend(token.ids("mode"))


def _take_query(
    tokens: list[Token], i: int, text: str, frame: Frame, slot: str, words: QueryWords
) -> int:
    """The free text after "play", "navigate to", "call": up to the next known request word (in
    Chinese, to where a new request plainly begins: ``names.py``)."""
    start = end = None
    j = i
    if i < len(tokens) and starts_chinese(text[tokens[i].start :]):
        taken = _take_chinese_name(tokens, i, text, frame, slot, words)
        if taken is not None:
            return taken
    while j < len(tokens):
        token = tokens[j]
        if token.kind == "sep" or (token.kind == "tags" and _ends_name(token)):
            break
        if slot == "video" and token.ids("zone"):
            break  # "put a cartoon on for the kids in the back": where, not the title
        if start is None and not (token.kind == "tags" and _wrapping_word(token)):
            start = token.start
        if start is not None:
            end = token.end
        j += 1
    before = frame.raw_spans and (
        slot in ("call", "add_stop", "trip")
        or any(
            "\u4e00" <= ch <= "\u9fff"
            for ch in text[frame.raw_spans[0][0] : frame.raw_spans[-1][1]]
        )
    )
    if start is None and before and _named_before(text, frame.raw_spans[0][0], slot, words):
        # the name before the verb: "give Alice a ring", "add X as a stop"
        start, end = frame.raw_spans[0][0], frame.raw_spans[-1][1]
    elif start is None and slot == "call" and i > 0:
        start, end = _between_whom_and_verb(text, tokens[i - 1].start, words)  # "给吴加垒打个电话"
    if start is not None and end is not None:
        query = trim_query(text[start:end], words)
        if slot == "call":
            query = dialled(query, words) or query  # "打电话给13900003161拍照"
        if not plausible(query, slot, words):
            query = ""  # "打电话都不接": no name, so no call
            if slot == "call" and not starts_chinese(query or text[start:end]):
                frame.actions = tuple(a for a in frame.actions if a != slot)  # "call me Ishmael"
                frame.device = None if frame.device == "phone" else frame.device
        if query:
            frame.query = query
            frame.actions = (slot, *(a for a in frame.actions if a != slot))
            return j
    if frame.modes:  # "go to eco mode": not a place
        frame.actions = tuple(a for a in frame.actions if a != slot)
    return j


def _named_before(text: str, start: int, slot: str, words: QueryWords) -> bool:
    """Whether the words from ``start`` up to a Chinese call verb are whom to call: only after a
    word that says so ("给妈妈打电话"), not any words before it ("我先走了一会儿打电话")."""
    if slot != "call" or not starts_chinese(text[start:]):
        return True
    return text[:start].rstrip().endswith(words.to_whom)


def _between_whom_and_verb(
    text: str, verb: int, words: QueryWords
) -> tuple[int | None, int | None]:
    """The name between 给/跟 and a Chinese call verb, whatever words it holds ("给吴加垒打个电话"
    holds 加); (None, None) when no such word comes shortly before the verb."""
    before = text[:verb]
    at = max((before.rfind(w) + len(w) for w in words.to_whom if w in before), default=-1)
    if at <= 0 or not 1 <= verb - at <= _LONGEST_CONTACT or not starts_chinese(text[at:verb]):
        return None, None
    return at, verb


_LONGEST_CONTACT = 4
"""Characters of a contact's name said between 给 and the call verb."""
_TITLE_STARTS = ("去", "到")
_TITLE_TAIL = "吧啊呀呢嘛。！!，, "
"""What a title said with its 去 or 到 is trimmed of at its end (a particle, punctuation)."""
"""Characters a title may start with that a place request drops ("去大理" is a song)."""


def _take_chinese_name(
    tokens: list[Token], i: int, text: str, frame: Frame, slot: str, words: QueryWords
) -> int | None:
    """The Chinese name at ``tokens[i]`` into the frame (the index after it); None to read the
    words the other way (no name, or only a kind of place: "导航到最近的加油站")."""
    stop = name_end(tokens, i, slot, words.joins)
    if stop <= i or only_a_place_kind(tokens[i:stop]):
        return None
    said = text[tokens[i].start : tokens[stop - 1].end]
    query = trim_query(said, words)
    if slot == "navigate" and said.rstrip(_TITLE_TAIL).endswith(tuple(words.title_after)):
        frame.actions = tuple(a for a in frame.actions if a != slot)
        slot = "play"  # "我要去邓丽君的歌曲": no place ends in 的歌曲; what to hear
    if slot == "play" and said.startswith(_TITLE_STARTS) and len(said.strip()) > 2:
        query = said.strip().rstrip(_TITLE_TAIL)  # "来一首去大理", "播放到不了": the title whole
    if slot == "call":
        query = dialled(query, words) or query
    if not query:
        return None
    if not plausible(query, slot, words):
        if slot != "trip":  # "…能到不？" still asks about the trip, of no named place
            frame.actions = tuple(a for a in frame.actions if a != slot)
        return i  # "打电话都不接", "回家就可以不用开空调了": talk, no name to go to
    frame.query = query
    frame.actions = (slot, *(a for a in frame.actions if a != slot))
    frame.words += stop - i
    return stop


TITLE = re.compile(r"《([^《》]+)》[\s。.!！?？吧呗啊]*")
"""A title written as one, with what may trail it."""


def trim_query(query: str, words: QueryWords) -> str:
    """Free text as a name: without filler words at its edges ("some jazz" → "jazz"); a title
    written in 《》 is taken whole ("《去大理》")."""
    titled = TITLE.fullmatch(query.strip())
    if titled:
        return titled.group(1).strip()
    if query.lstrip().startswith("《") or query.rstrip().endswith("》"):
        return query.strip(" 《》")  # one mark of the two in the span: still the title whole
    strip = " 《》\"'“”,.。!！?？"
    query = query.strip(strip)
    changed = True
    while changed and query:
        changed = False
        low = query.lower()
        for edge in words.starts:
            if low.startswith(edge) and len(low) > len(edge):
                query, changed = query[len(edge) :].strip(strip), True
                break
        low = query.lower()
        for edge in words.ends:
            if low.endswith(edge) and len(low) > len(edge):
                query, changed = query[: -len(edge)].strip(strip), True
                break
    return "" if query.lower() in words.alone else query


def _wrapping_word(token: Token) -> bool:
    """A word a name does not start with: "the", "some", a filler after the verb ("…怎么走啊")."""
    return token.has("stop") or all(t.kind == "filler" for t in token.tags)


def _ends_name(token: Token) -> bool:
    """A name runs on through colours, zones and values ("邓紫棋", "over to Jing'an") and stops
    at the next request: a verb or a device."""
    if token.has("sep") or token.ids("mode") or token.has("dialogue", "round_trip"):
        return True
    if _query_word(token):
        return False
    return bool(token.ids("action") or token.ids("device") or token.ids("need"))


def _query_word(token: Token) -> bool:
    """Words a name may hold or be wrapped in ("the", "到", "some")."""
    if token.has("stop") or token.has("dialogue", "target"):
        return True
    return all(t.kind in ("filler", "deictic") for t in token.tags)
