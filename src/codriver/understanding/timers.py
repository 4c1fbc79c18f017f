"""Understanding what is said of timers: a timer's name ("a pasta timer for 8 minutes",
"设置披萨计时器5分钟"), pausing and resuming one, adding or taking off time, asking what is left,
and cancelling one by name or all of them.

The words are data (``data/<lang>/timers.yaml``), looked for only in an utterance that names a
timer (the lexicon's ``timer`` device or action), and only in the clause that names it. A length
right beside the timer ("the 1 hour timer", "1小时计时器") says which timer is meant; another
length is the time to add or take off. A question about a timer is answered, never acted on.
"""

from __future__ import annotations

from codriver.assistant.plan import Plan, ToolCall, TurnContext
from codriver.understanding.durations import Span, spans
from codriver.understanding.lexicon import Token, lower
from codriver.understanding.sentence_words import Phrases
from codriver.understanding.timer_words import TimerWords, timer_words

_CJK = ("\u3400", "\u9fff")
_ENDS = frozenset(".!?。！？;；")
"""Punctuation that ends the timer's clause (a comma does not)."""


def is_timer(token: Token) -> bool:
    return token.has("device", "timer") or token.has("action", "timer")


def plan_timer(
    tokens: list[Token], text: str, *, asked: bool, follows: bool = False
) -> Plan | None:
    """What is asked of a timer that runs (or of all of them), or None: no timer named, a new
    one to start (``plan_timing``), a reminder or a rule. ``follows``: the turn before started
    or changed a timer, so "add five more minutes to that" / "再加五分钟" is about it."""
    named = any(is_timer(t) for t in tokens)
    if not (named or follows) or any(t.has("action", "remind") for t in tokens):
        return None
    plan = _plan_timer(tokens, text, asked=asked)
    if named or plan is None:
        return plan
    if plan.calls[0].name == "timer_status" and not any(t.ids("device") for t in tokens):
        return plan  # "现在还剩多久？" right after the timer: how long it has left
    if plan.calls[0].name not in _FOLLOW_UPS:
        return None  # after a timer, only a change said without naming it is about it
    return plan


_FOLLOW_UPS = ("adjust_timer", "pause_timer", "resume_timer")
"""What a follow-up that does not name the timer may ask of it (or how long it has left, when it
names nothing else)."""


def _plan_timer(tokens: list[Token], text: str, *, asked: bool) -> Plan | None:
    low, words = lower(text), timer_words()
    clause = _clause(tokens, low, words)
    said = _Said(clause, low)
    lengths = spans(clause, low)
    label = _label(clause, text, low, words)
    named = {"label": label} if label else {}
    if not asked and lengths and _new(clause, low, words):
        return None  # "add a 5 minute timer": a new one
    status = said.has(words.status) or (not lengths and said.has(words.status_alone))
    if asked or status:
        return _act(ToolCall("timer_status", named))
    if any(t.ids("when") for t in clause):
        return None  # "when the timer ends, …": no rule waits for a timer
    if said.has(words.pause):
        return _act(ToolCall("pause_timer", named))
    if said.has(words.resume):
        return _act(ToolCall("resume_timer", named))
    apart = [s for s in lengths if not _beside(s, clause)]
    amount = apart[0] if apart else (lengths[-1] if lengths else None)
    if amount is not None and (said.has(words.take) or said.has(words.add)):
        sign = -1 if said.has(words.take) else 1
        return _act(ToolCall("adjust_timer", {"minutes": sign * amount.minutes, **named}))
    if not apart and said.has(words.cancel):
        every = {"every": True} if said.has(words.every) and not label else {}
        return _act(ToolCall("cancel_automation", {"kind": "timer", **named, **every}))
    return None


def timer_name(tokens: list[Token], text: str) -> str | None:
    """The name of the timer an utterance starts, if it gives one ("a pasta timer for 8
    minutes", "start a 5 minute timer named pizza", "设置披萨计时器5分钟", "泡面计时3分钟")."""
    if not any(is_timer(t) for t in tokens):
        return None
    low, words = lower(text), timer_words()
    return _label(_clause(tokens, low, words), text, low, words)


def _act(call: ToolCall) -> Plan:
    return Plan("act", (call,))


class _Said:
    """Where the phrases of a list are said within the clause."""

    def __init__(self, clause: list[Token], low: str) -> None:
        self.low = low
        self.start = clause[0].start if clause else 0
        self.end = clause[-1].end if clause else 0

    def has(self, phrases: Phrases) -> bool:
        return bool(phrases.spans(self.low, range(self.start, self.end), self.end))


def _clause(tokens: list[Token], low: str, words: TimerWords) -> list[Token]:
    """The tokens of the clause that names the timer: up to the words that break it
    ("…and then set a timer", "…然后计时五分钟") or a sentence's end, never inside a length."""
    lengths = spans(tokens, low)
    inside = [any(s.start < t.start and t.end <= s.end for s in lengths) for t in tokens]
    cuts = [
        i
        for i, t in enumerate(tokens)
        if not inside[i] and (_breaks(t, low, words) or low[t.start : t.end] in _ENDS)
    ]
    first = next((i for i, t in enumerate(tokens) if is_timer(t)), 0)  # a follow-up: the first
    start = max((c + 1 for c in cuts if c < first), default=0)
    stop = min((c for c in cuts if c > first), default=len(tokens))
    return tokens[start:stop]


def _breaks(token: Token, low: str, words: TimerWords) -> bool:
    return _is(words.breaks, low[token.start : token.end])


def _is(phrases: Phrases, piece: str) -> bool:
    """Whether ``piece`` is one of ``phrases``, whole."""
    return phrases.ends(piece) == (0, len(piece))


def _beside(span: Span, clause: list[Token]) -> bool:
    """Whether ``span`` is said right before or after a timer word, only fillers between ("the
    1 hour timer", "timer for 5 minutes"): it tells which timer, not how much to change it."""
    for timer in (t for t in clause if is_timer(t)):
        between = [
            t
            for t in clause
            if (span.end <= t.start and t.end <= timer.start)
            or (timer.end <= t.start and t.end <= span.start)
        ]
        if all(t.has("filler") for t in between):
            return True
    return False


def _filler(token: Token) -> bool:
    return token.kind == "tags" and all(t.kind in ("filler", "stop") for t in token.tags)


def _new(clause: list[Token], low: str, words: TimerWords) -> bool:
    """A new timer is meant ("add a 5 minute timer", "加一个计时"): a word for one right before
    the timer word, with only a length, a name or fillers between."""
    first = next((i for i, t in enumerate(clause) if is_timer(t)), None)
    if first is None:
        return False  # a follow-up names no timer, so no new one
    lengths = spans(clause, low)
    for token in reversed(clause[:first]):
        if any(s.start <= token.start and token.end <= s.end for s in lengths):
            continue  # "a 5 minute timer", "1个钟头计时器"
        if _is(words.new, low[token.start : token.end]):
            return True
        if not (token.kind == "raw" or _filler(token)):
            return False
    return False


def _label(clause: list[Token], text: str, low: str, words: TimerWords) -> str | None:
    """The timer's name, if one is said: after a naming word ("named pizza", "for the lasagna",
    "叫披萨的"), else the words right before the timer word ("the pasta timer", "泡面计时");
    as written."""
    if not clause:
        return None
    start, end = clause[0].start, clause[-1].end
    for _, after in words.named.spans(low, range(start, end), end):
        span = _name_after(clause, low, after, words)
        if span is not None:
            return _trimmed(text, low, span, words)
    first = next((i for i, t in enumerate(clause) if is_timer(t)), None)
    if first is None:
        return None  # a follow-up ("再加五分钟") names no timer
    before = clause[:first]
    if before and _is(words.name_ends, low[before[-1].start : before[-1].end]):
        before = before[:-1]  # "披萨的计时器"
    run: list[Token] = []
    for token in reversed(before):
        if not _in_name(token):
            break
        run.insert(0, token)
    return _trimmed(text, low, (run[0].start, run[-1].end), words) if run else None


def _in_name(token: Token) -> bool:
    """A word a name before the timer word may hold: one nobody knows, or one Chinese character
    known only as a colour, a value or a need ("烤红薯": 烤 and 红, "热水")."""
    if token.kind == "raw":
        return True
    single = len(token.text) == 1 and _CJK[0] <= token.text <= _CJK[1]
    return single and all(t.kind in ("color", "value", "need") for t in token.tags)


def _name_after(
    clause: list[Token], low: str, after: int, words: TimerWords
) -> tuple[int, int] | None:
    """Where the name said after a naming word ending at ``after`` is: up to a length, the
    timer word or a word that ends names; None when a length comes first ("a timer for 5
    minutes")."""
    lengths = spans(clause, low)
    rest = [t for t in clause if t.start >= after]
    if not rest or any(s.start == rest[0].start for s in lengths):
        return None
    taken: list[Token] = []
    for token in rest:
        ended = _is(words.name_ends, low[token.start : token.end])
        if is_timer(token) or ended or any(s.start == token.start for s in lengths):
            break
        taken.append(token)
    return (taken[0].start, taken[-1].end) if taken else None


_EDGES = " ,，、"


def _trimmed(text: str, low: str, span: tuple[int, int], words: TimerWords) -> str | None:
    """The name at ``span`` without words that are no name at its edges ("status of pizza" →
    "pizza"); None when nothing is left, or one Chinese character (too little for a name)."""
    start, end = span
    while start < end:
        piece = low[start:end]
        stripped = len(piece) - len(piece.lstrip(_EDGES)), len(piece.rstrip(_EDGES))
        if stripped != (0, len(piece)):
            start, end = start + stripped[0], start + stripped[1]
            continue
        head = words.edges.spans(piece, [0], len(piece))
        tail = words.edges.ends(piece)
        if head:
            start += head[0][1]
        elif tail is not None:
            end = start + tail[0]
        else:
            break
    name = text[start:end]
    if not name or (len(name) == 1 and _CJK[0] <= name <= _CJK[1]):
        return None
    return name


def after_a_timer(ctx: TurnContext) -> bool:
    """Whether the last turn started, changed or asked about a timer ("…" → "再加五分钟")."""
    last = ctx.history[-1] if ctx.history else None
    timers = ("set_timer", "adjust_timer", "pause_timer", "resume_timer", "timer_status")
    return last is not None and any(c.name in timers for c in last.plan.calls)
