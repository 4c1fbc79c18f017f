"""What kind of sentence each part of an utterance is: the one place that decides.

An utterance is cut into sentences (at ``. ? !``) and those into clauses (at clause breaks). Each
clause is a **question** (answered from the state, never acted on), a **command**, a statement of
**need** ("I'm freezing"), talk about something that is not this car (**elsewhere**: the home,
someone else's car, a memory, another person's habits), **chitchat** (small talk, insults) or
**nonsense**. A command said on a condition or for later that no rule or timer takes is marked
``later``: it is declined, never carried out now.

The words are data (``data/<lang>/sentence.yaml``); the structure is here: English fronts its
question words, Chinese leaves them in place and asks with a final particle or an A-not-A verb
("锁没锁"); a request to look ("check whether …", "帮我看看…") is a question; a question in
form that asks for an action ("could you close the sunroof?", "…好不好") is a command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from codriver.assistant.plan import SentenceKind
from codriver.understanding.chitchat import asks_for_talk, chitchat
from codriver.understanding.describing import describing_words, modal_request
from codriver.understanding.lexicon import Token
from codriver.understanding.sentence_words import Phrases, Words, sentence_words

_SENTENCE_END = set(".?!;。？！；")
OPEN_SLOT = ("play", "navigate", "call", "add_stop", "trip", "nearby", "video")
"""Verbs whose object is a name or a place: "导航到我家" goes home, it does not talk about it."""
_ASKING_VERBS = ("trip", "nearby")
_CONTENT = ("device", "action", "value", "mode", "color", "zone", "need")


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: its kind, its character span and whether it asks for later."""

    kind: SentenceKind
    start: int
    end: int
    later: bool = False
    """On a condition or after a delay ("once we're going 120 …", "过30分钟…")."""
    abuse: bool = False
    """It held an insult (masked out before the request was read)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """The clauses of an utterance and the spans (insults) that carry no request."""

    clauses: tuple[Clause, ...] = ()
    masked: tuple[tuple[int, int], ...] = ()

    def at(self, position: int) -> Clause | None:
        """The clause a frame starting at ``position`` belongs to: the one that holds it, or —
        when it starts in words with no kind of their own ("一会儿再|听") — the next one; None
        when no clause follows (a bare "yes", "undo", "too")."""
        return next((c for c in self.clauses if position < c.end), None)

    @property
    def kind(self) -> SentenceKind:
        """The utterance's kind: a command or need where any clause is one; else a question;
        else talk about elsewhere, chitchat or nonsense."""
        kinds = [c.kind for c in self.clauses]
        for kind in ("command", "need", "question", "elsewhere", "chitchat"):
            if kind in kinds:
                return kind  # type: ignore[return-value]
        return "nonsense"

    def unmasked(self, tokens: Iterable[Token]) -> list[Token]:
        """The tokens outside the masked spans."""
        return [t for t in tokens if not any(s <= t.start < e for s, e in self.masked)]


_CJK = re.compile(r"[\u3400-\u9fff]")
_NOISE = " 　.。!！;；,，、…零〇一二两三四五六七八九十百千万亿点"
"""Spaces, stops and numerals that may trail a question's last word."""


def _without_trailing_noise(clause: str) -> str:
    """The clause without what a recogniser may leave after its last word, for telling where it
    ends: punctuation (but a question mark), spaces, invisible characters, numerals, digits,
    symbols and a stutter ("后排窗户关了没３．５", "…关了没二十二点五" and "…关了没有有有"
    end with 没)."""
    end = len(clause)
    while end and clause[end - 1] not in "?？" and _noise(clause[end - 1]):
        end -= 1
    while end > 1 and clause[end - 1] == clause[end - 2] and _CJK.match(clause[end - 1]):
        end -= 1  # a stutter: "关了没有有有" ends with 没有
    tail = end
    while tail and clause[tail - 1].isascii() and clause[tail - 1].isalpha():
        tail -= 1
    if tail < end and tail and _CJK.match(clause[tail - 1]):
        return _without_trailing_noise(clause[:tail])  # "…关上了没有inf": a slip after 没有
    return clause[:end]


def _question_end(scan: _Scan, start: int, end: int) -> tuple[int, int] | None:
    """Where the sentence's question ending is, relative to ``start``: at its end, or at the last
    word that ends a question when nothing after it asks for anything ("后排窗户关了没负五": a
    slip after 没 leaves the sentence a question; "关了吗放首歌" asks, then requests)."""
    text = scan.text[start:end]
    tag = scan.words.ends.ends(_without_trailing_noise(text))
    if tag is not None:
        return tag
    for token in reversed([t for t in scan.tokens if start <= t.start < end]):
        if token.ids("action") or token.ids("device") or token.ids("need"):
            return None
        if token.has("question") and scan.words.ends.ends(_letters(token.text)) is not None:
            return token.start - start, token.end - start  # "没¡(︍︌有": 没有 with noise inside
        cut = token.start - start
        tag = scan.words.ends.ends(_without_trailing_noise(text[:cut])) if cut > 0 else None
        if tag is not None:
            return tag
    return None


def _asked_across(text: str) -> bool:
    """Whether ``text``, its pauses and noise taken out, holds a question word ("有还多.少" →
    有还多少)."""
    return holds_a_question_word(_letters(text))


def _letters(text: str) -> str:
    """``text`` with only its ideographs and ASCII letters and digits ("没¡(Ì︍有" → "没有")."""
    return "".join(c for c in text if _CJK.match(c) or (c.isascii() and c.isalnum()))


def _noise(char: str) -> bool:
    return char in _NOISE or unicodedata.category(char)[0] in "CNPSZ"


def read_sentences(text: str, tokens: list[Token]) -> Reading:
    """The clauses of lowered ``text`` (as scanned into ``tokens``) with their kinds."""
    scan = _Scan(untitled(text), tokens, sentence_words())
    insults = scan.find(scan.words.abuse, 0, len(text))
    masked = list(insults) + describing_words(scan.text, scan.tokens, scan.words)
    clauses: list[Clause] = []
    for start, end in _asked_then_requested(scan, _sentences(text, tokens)):
        inside = [t for t in tokens if start <= t.start < end]
        tag = _question_end(scan, start, end)
        if tag is not None and _polite_tail(scan, inside, start, end):
            tag = None  # "打开车窗，好吗": the request asked politely, no question
        if tag is not None and any(c.isalnum() for c in text[start + tag[0] : start + tag[1]]):
            masked.append((start + tag[0], start + tag[1]))  # "…, right?": no zone in it
        carried = False  # a condition, or a delay said on its own, holds for what follows
        for c_start, c_end in _clauses(inside, start, end):
            part = [t for t in inside if c_start <= t.start < c_end]
            abuse = any(c_start <= s < c_end for s, _ in insults)
            kind = _clause(scan, part, c_start, c_end, masked, asked=tag is not None)
            if kind is None and abuse:
                kind = "chitchat"  # nothing but an insult
            if clauses and clauses[-1].kind == "question" and _asks_for_nothing(part):
                kind = "question"  # "我们现在在哪里...二十二点五": what trails a question, a slip
            elif (
                clauses
                and clauses[-1].kind != "elsewhere"
                and _asks_for_nothing(part)
                and _asked_across(scan.text[:c_end])
            ):
                kind = "question"  # "有还多.少..二十": a question word broken by the pauses
            elif (
                kind not in ("question", "elsewhere")
                and _asks_for_nothing(part)
                and _asked_across(scan.text[c_start:c_end])
            ):
                kind = "question"  # "续行还有多…少三十": broken inside the clause
            said = [c for c in clauses if c.kind not in ("nonsense", "chitchat")]
            if said and _goes_on_elsewhere(scan, said[-1], kind, part, c_start, c_end):
                kind = "elsewhere"  # "去年冬天…，冷死了", "隔壁…特斯拉，天窗可大了": then, there
            own = _later(scan, part, c_start, c_end)
            requests = kind in ("command", "need")
            if kind is not None:
                late = requests and (own is not None or carried)
                clauses.append(Clause(kind, c_start, c_end, late, abuse))
            asks_for = any(t.ids("action") or t.ids("device") for t in part)
            carried = carried or own == "condition" or (own is not None and not asks_for)
    return Reading(_particle_asks_back(scan, tuple(clauses)), tuple(masked))


_TITLE = re.compile(r"《[^《》]*》")
_HIDDEN = "\u25a1"
"""What a title's characters read as to the sentence words: nothing they know."""


def untitled(text: str) -> str:
    """``text`` with what is inside 《》 hidden (same length): a title's words say nothing of the
    sentence ("《去年夏天》" is no memory, "《去大理》" no destination)."""
    return _TITLE.sub(lambda m: "《" + _HIDDEN * (len(m.group()) - 2) + "》", text)


def _polite_tail(scan: _Scan, inside: list[Token], start: int, end: int) -> bool:
    """Whether the sentence ends in a clause that only asks politely ("…，好吗", "…, okay?")
    after a clause that asks for something to be done."""
    cuts = list(_clauses(inside, start, end))
    if len(cuts) < _TWO_CLAUSES:
        return False
    last = scan.text[cuts[-1][0] : cuts[-1][1]].strip(_PARTICLE_NOISE + "?？")
    before = [t for t in inside if cuts[-2][0] <= t.start < cuts[-2][1]]
    asked_for = any(t.ids("action") for t in before) or (
        any(t.ids("device") for t in before) and any(t.kind == "number" for t in before)
    )  # "bump the temperature to 23, would ya?": a setting said, with or without its verb
    return scan.words.request.whole(last) and asked_for


_TWO_CLAUSES = 2
_PARTICLE_NOISE = " 　.。．…,，!！~～"
_STUTTER = re.compile(r"([\u3400-\u9fff])\1+")
"""A character said again and again ("着着吗"): the character once."""


def _particle_asks_back(scan: _Scan, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
    """A question's final particle cut off by a pause makes the words before it the question
    ("都关好好好好．了吗", "空调..开.着吗": 开 is asked about, not asked for)."""
    out = list(clauses)
    for i in range(1, len(out)):
        said = _STUTTER.sub(r"\1", scan.text[out[i].start : out[i].end].strip(_PARTICLE_NOISE))
        if not scan.words.particles.whole(said):
            continue
        j = i - 1  # past a fragment the pauses left ("AC..揩.着吗": 揩 is a slip of 开)
        while j > 0 and _slip(scan, out[j]):
            j -= 1
        before = out[j]
        gap = scan.text[before.end : out[j + 1].start].strip(_PARTICLE_NOISE)
        if not gap and before.kind in ("command", "need"):
            out[j] = replace(before, kind="question", later=False)
    return tuple(out)


def _slip(scan: _Scan, clause: Clause) -> bool:
    """A fragment the pauses cut off that says nothing of its own: a character or two nobody
    knows ("揩"), not a filler ("嗯")."""
    if clause.kind != "nonsense" or clause.end - clause.start > _FRAGMENT:
        return False
    inside = [t for t in scan.tokens if clause.start <= t.start < clause.end and t.kind != "sep"]
    return bool(inside) and all(t.kind == "raw" or t.heard for t in inside)


_FRAGMENT = 2
"""Characters of a clause the pauses cut so short it says nothing of its own."""


def _goes_on_elsewhere(
    scan: _Scan, before: Clause, kind: str | None, part: list[Token], start: int, end: int
) -> bool:
    """Whether a feeling, a verbless remark or a description after talk about elsewhere still
    talks of then and there ("that guy's Tesla, his trunk's wide open", "旁边那辆车，天窗开着都不
    关"): it does unless it says here or now ("…，现在车里也好热")."""
    verbless = kind == "command" and not any(t.ids("action") for t in part)
    words = scan.words
    described = kind in ("command", "question") and bool(
        scan.find(words.others, start, end) or _described(scan, start, end)
    )
    if before.kind != "elsewhere" or not (kind == "need" or verbless or described):
        return False
    return not scan.find(words.present, start, end)


@dataclass(frozen=True, slots=True)
class _Scan:
    """The utterance as the classifier reads it: text, tokens, where words start, the words."""

    text: str
    tokens: list[Token]
    words: Words

    @property
    def starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def find(self, phrases: Phrases, start: int, end: int) -> list[tuple[int, int]]:
        """Where ``phrases`` occur in ``[start, end)``, each beginning where a word does."""
        return phrases.spans(self.text, [s for s in self.starts if start <= s < end], end)


def _sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for token in tokens:
        mark = text[token.start : token.end]
        after = text[token.end : token.end + 1]
        pause = mark == "." and (
            "." in text[token.start - 1 : token.start] + after or after.isdigit()
        )
        pause = pause or _amid_noise(text, token.start, token.end)  # "关好ॄ‏．れ了吗": a slip
        if token.kind == "sep" and mark in _SENTENCE_END and not pause:  # "...": a pause
            spans.append((start, token.end))
            start = token.end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _amid_noise(text: str, start: int, end: int) -> bool:
    """Whether a sentence mark stands between characters of no language of the utterance (a
    recogniser's or a keyboard's slip), so it ends nothing."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return any(
        c and not _CJK.match(c) and not c.isascii() and _lettered(c) for c in (before, after)
    )


def _lettered(char: str) -> bool:
    """A letter or a mark on one ("ॄ", "れ")."""
    return char.isalpha() or unicodedata.category(char).startswith("M")


def holds_a_question_word(text: str) -> bool:
    """Whether lowered ``text`` has a question word anywhere ("续行还有多少" asks, garbled or
    not): never a name said alone."""
    words = sentence_words()
    return bool(words.asks.anywhere(text)) or words.ends.ends(text.rstrip()) is not None


def _asking_topic(words: Words, token: Token) -> bool:
    """A status topic whose words hold a question word ("现在在哪", "剩多少电")."""
    topics = [d for d in token.ids("device") if d.startswith("topic_")]
    return bool(topics) and bool(words.asks.anywhere(token.text))


def _asks_for_nothing(tokens: list[Token]) -> bool:
    """A clause with no request word of its own: numbers, noise, a slip ("…二十儿点舞")."""
    return not any(t.ids("action") or t.ids("device") or t.ids("need") for t in tokens)


def _asked_then_requested(scan: _Scan, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences, a question that ends inside one and a request after it apart: "车窗关了吗
    放首歌" is heard as two (a recogniser often leaves out the question mark)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        inside = [t for t in scan.tokens if start <= t.start < end]
        for index, token in enumerate(inside[:-1]):
            rest = inside[index + 1 :]
            asks = scan.words.breaks.ends(scan.text[start : token.end]) is not None
            if asks and any(t.ids("action") or t.ids("device") for t in rest):
                out.append((start, token.end))
                start = token.end
        out.append((start, end))
    return out


def _clauses(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for token in tokens:
        if token.kind == "sep" or token.has("sep"):
            spans.append((start, token.end))
            start = token.end
    spans.append((start, end))
    return [(s, e) for s, e in spans if s < e]


def _clause(
    scan: _Scan,
    tokens: list[Token],
    start: int,
    end: int,
    masked: list[tuple[int, int]],
    *,
    asked: bool,
) -> SentenceKind | None:
    """The clause's kind; None for one that says nothing of its own (a bare "yes", "undo")."""
    live = [t for t in tokens if not any(s <= t.start < e for s, e in masked)]
    content = [t for t in live if t.kind in ("raw", "number") or _has_content(t)]
    if content or (asked and live) or any(t.has("question") for t in live):  # "还有多少"
        return _kind(scan, live, start, end, asked)
    return None


def _kind(scan: _Scan, tokens: list[Token], start: int, end: int, asked: bool) -> SentenceKind:
    words, text = scan.words, scan.text
    verb = next((t.start for t in tokens if t.ids("action")), end)
    if _elsewhere(scan, tokens, start, end):
        return "elsewhere"
    if any(set(t.ids("action")) & set(_ASKING_VERBS) for t in tokens):
        return "question"  # "how far is it to …", "附近有没有停车场": verbs that only ask
    if any(_asking_topic(words, t) for t in tokens):
        return "question"  # "我们现在在哪", "还剩多少电": a topic said with its question word
    if asks_for_talk(text[start:end]):
        return "chitchat"  # "tell me a story about a dragon who plays music"
    if _only_described(scan, tokens, start, end):
        return "question"  # "the window's open", "车窗开着": said of the car, answered from it
    if scan.find(words.route, start, end):
        return "command"  # "请问怎么去外滩", "how do I get to the Bund?": the way, so a route
    asking = scan.find(words.request, start, end)
    embeds = [(s, e) for s, e in scan.find(words.embeds, start, end) if not _inside(s, asking)]
    if any(s <= verb for s, _ in embeds):
        return "question"  # "check whether the windows are closed", "帮我看看车门锁好了没有"
    lead = next((t.start for t in tokens if not _lead_filler(t)), end)
    fronted = words.opens.at(text, lead, end)  # "how many miles can I still go?"
    polite = any(s <= lead or not fronted for s, _ in scan.find(words.request, start, end))
    polite = polite or modal_request(scan.text, tokens, scan.find(words.modals, start, end))
    if not polite and (asked or _asks(scan, tokens, start, end)):
        return "question"
    if any(t.ids("need") for t in tokens) and not any(t.ids("action") for t in tokens):
        return "need"
    if any(_has_content(t) for t in tokens):
        return "command"
    return "chitchat" if chitchat(text[start:end]) is not None else "nonsense"


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in spans)


def _described(scan: _Scan, start: int, end: int) -> list[tuple[int, int]]:
    """Where the clause says how a thing is: anywhere, "'s open" too ("the window's open"), and
    a verb that 着 follows closely ("车窗开还着呢", a slip of 还开着: a state, never a request)."""
    found = scan.words.described.spans(scan.text, range(start, end), end)
    for token in scan.tokens:
        if start <= token.start < end and token.ids("action"):
            after = scan.text[token.end : min(end, token.end + _DURATIVE_GAP + 1)]
            at = token.end + after.index(_DURATIVE) if _DURATIVE in after else None
            if at is not None and not scan.words.not_durative.at(scan.text, at, end):
                found.append((token.start, at + 1))  # not 着急, 着凉: words of their own
    return found


_DURATIVE = "着"
_DURATIVE_GAP = 1
"""Characters a slip may put between a verb and its 着."""


def _only_described(scan: _Scan, tokens: list[Token], start: int, end: int) -> bool:
    """Whether the clause says how a thing is ("his trunk's wide open", "天窗开着") and asks for
    nothing else: every verb in it is part of the description."""
    described = _described(scan, start, end)
    if not described:
        return False
    verbs = [t for t in tokens if t.ids("action")]
    return all(any(s <= t.start < e for s, e in described) for t in verbs)


def _asks(scan: _Scan, tokens: list[Token], start: int, end: int) -> bool:
    """A question of its own: a fronted question word, an in-place one that is no indefinite
    ("来几首" asks nothing), or an A-not-A verb ("锁没锁")."""
    words, text = scan.words, scan.text
    lead = next((t.start for t in tokens if not _lead_filler(t)), end)
    if words.opens.at(text, lead, end):
        return True
    asking = _within(tokens, lambda t: t.has("question"))  # "都有哪些": 哪些 inside the word
    loose = words.indefinite.spans(text, _within(tokens, lambda t: not t.ids("device")), end)
    for s, e in words.asks.spans(text, asking, end):
        if not any(ls <= s and e <= le for ls, le in loose):
            return True
    if words.a_not_a is not None:
        for match in words.a_not_a.finditer(text, start, end):
            repeated = match.start() > 0 and text[match.start() - 1] in words.negators
            if match.group(1) not in words.negators and not repeated:
                return True  # "锁没锁"; not "不对不对", 不对 said twice
    return False


def _elsewhere(scan: _Scan, tokens: list[Token], start: int, end: int) -> bool:
    """Talk about another place, someone else's car, a memory, or someone else's habits. A verb
    that takes a place or a name keeps its object ("导航到我家", "play what we heard yesterday")."""
    words, text = scan.words, scan.text
    verb = next((t.start for t in tokens if set(t.ids("action")) & set(OPEN_SLOT)), end)
    talk = scan.find(words.elsewhere, start, end)
    if any(s <= verb < e for s, e in talk) or (verb == end and talk):
        return True  # "下次还去" holds its own verb
    others = [(s, e) for s, e in scan.find(words.others, start, end) if s < verb]
    if any(words.owned.at(text, e, end) for _, e in others):
        return True  # "my mum's car", "我妈的车"
    if any(s < verb for s, _ in scan.find(words.past, start, end)):
        return True
    return bool(others and scan.find(words.habit, start, end))


def _later(scan: _Scan, tokens: list[Token], start: int, end: int) -> str | None:
    """ "condition" for a clause said on a condition ("once …", "如果…", "…以后"); "delay" for
    one said for later ("in 20 minutes", "过30分钟", "in a bit", "待会儿"); else None."""
    if any(p.search(scan.text[start:end]) for p in scan.words.conditional):
        return "condition"  # "车速一过一百就把车门打开", "every time I go over 100, …"
    tokens = _before_a_title(tokens)
    end = min(end, tokens[-1].end) if tokens else start
    polite = scan.find(scan.words.courtesy, start, end)
    for token in tokens:
        if token.ids("when") and not any(s <= token.start < e for s, e in polite):
            return "condition"
    if scan.find(scan.words.soon, start, end):
        return "delay"
    return "delay" if any(_delayed(scan, tokens, i) for i in range(len(tokens))) else None


def _before_a_title(tokens: list[Token]) -> list[Token]:
    """The words before a Chinese play verb: what follows 播放 or 听 is the title, whatever
    words it holds ("播放等一分钟", "我想听许多年以后" are songs, not requests for later)."""
    for i, token in enumerate(tokens):
        if "play" in token.ids("action") and _CJK.match(token.text):
            return tokens[: i + 1]
    return tokens


def _delayed(scan: _Scan, tokens: list[Token], i: int) -> bool:
    """A duration at ``i`` ("20 minutes", "半小时") with a delay word right beside it."""
    token = tokens[i]
    if token.has("time", "half_hour"):
        span = (token.start, token.end)
    elif token.kind == "number" and i + 1 < len(tokens) and tokens[i + 1].ids("time"):
        span = (token.start, tokens[i + 1].end)
    else:
        return False
    before = scan.text[max(0, span[0] - 12) : span[0]].rstrip()
    after = scan.text[span[1] : span[1] + 12].lstrip()
    delay = scan.words.delay
    return any(e == len(before) for _, e in delay.anywhere(before)) or any(
        s == 0 for s, _ in delay.anywhere(after)
    )


def _within(tokens: list[Token], inside: Callable[[Token], bool]) -> list[int]:
    """Where words start, and every position inside the words ``inside`` accepts ("放点什么":
    the indefinite 点什么 begins inside 放点; never inside a device's name, "空调几度")."""
    inner = [p for t in tokens if inside(t) for p in range(t.start + 1, t.end)]
    return sorted({*(t.start for t in tokens), *inner})


def _has_content(token: Token) -> bool:
    return any(t.kind in _CONTENT for t in token.tags)


def _lead_filler(token: Token) -> bool:
    """Words before the first that counts: fillers, "ok", "so", "hey"."""
    if token.kind != "tags":
        return False
    return all(t.kind in ("filler", "stop") or t.id in ("yes", "more") for t in token.tags)
