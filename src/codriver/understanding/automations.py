"""Understanding automations: "if it starts raining, close the windows", "remind me to call Mum
in 10 minutes", "帮我计时五分钟". The condition and the timing are read here; the action part is
understood by the engine like any other request."""

from __future__ import annotations

from collections.abc import Callable

from codriver.assistant.plan import Plan, ToolCall
from codriver.understanding.durations import Span, spans
from codriver.understanding.lexicon import Token, lower
from codriver.understanding.timers import is_timer, timer_name

_COMPARATORS = ("speed_over", "battery_below", "outside_below", "outside_above", "cabin_above")
_CONNECTORS = (" in", "in ", "to ", "and ", "后", "以后", "之后", "就", "然后", "再")


def duration(tokens: list[Token], text: str = "") -> Span | None:
    """The first length of time said, its parts added up (``durations.spans``)."""
    found = spans(tokens, lower(text))
    return found[0] if found else None


def plan_timing(tokens: list[Token], text: str) -> Plan | None:
    """A reminder or a timer, when the utterance asks for one with a duration."""
    remind = next((t for t in tokens if t.has("action", "remind")), None)
    timer = any(is_timer(t) for t in tokens)
    cancel = any(t.has("action", "cancel") or t.has("action", "off") for t in tokens)
    span = duration(tokens, text)
    if cancel or span is None:
        return None
    if remind is not None:
        two = _two_reminders(tokens, text, remind)
        if two is not None:
            return Plan("act", two)  # "…in ten minutes and to pick up milk in half an hour"
        what = _without(text[remind.end :], text, span, remind.end) or _without(
            text[: remind.start], text, span, 0
        )
        return Plan("act", (ToolCall("add_reminder", {"text": what, "minutes": span.minutes}),))
    if timer:
        name = timer_name(tokens, text)
        args = {"minutes": span.minutes, **({"label": name} if name else {})}
        return Plan("act", (ToolCall("set_timer", args),))
    return None


def reminder_without_time(tokens: list[Token], text: str) -> str | None:
    """What to be reminded of, when a reminder is asked for with no time and no condition
    ("remind me to buy flowers", "提醒我买菜"): the time is asked for next."""
    remind = next((t for t in tokens if t.has("action", "remind")), None)
    if remind is None or duration(tokens, text) is not None:
        return None
    if any(t.ids("when") or t.ids("trigger") or t.has("action", "cancel") for t in tokens):
        return None  # "remind me when we get there": a condition, not a time to ask for
    what = text[remind.end :].strip(" ,，。.!！?？")
    return what or None


def reminder_when(tokens: list[Token], text: str, what: str) -> Plan | None:
    """The reminder asked about last turn, now that its time is said alone ("in twenty
    minutes", "半小时以后")."""
    span = duration(tokens, text)
    if span is None or any(t.has("action", "remind") or is_timer(t) for t in tokens):
        return None
    rest = _without(text, text, span, 0)
    if len(rest) > _TIME_WORDS_AROUND:
        return None  # the time and a request of its own: that request, not this answer
    return Plan("act", (ToolCall("add_reminder", {"text": what, "minutes": span.minutes}),))


_TIME_WORDS_AROUND = 6
"""Characters besides the time an answer to "when?" may hold ("以后吧", "from now")."""


def _two_reminders(
    tokens: list[Token], text: str, remind: Token
) -> tuple[ToolCall, ToolCall] | None:
    """Two reminders said in one breath, each with its own time ("十分钟后提醒我买牛奶，半小时后
    提醒我取快递"), split where a connector or a pause comes between the two times."""
    found = spans(tokens, lower(text))
    if len(found) != _TWO:
        return None
    cut = next(
        (t for t in tokens if found[0].end <= t.start and t.end <= found[1].start
         and (t.kind == "sep" or t.has("sep"))),
        None,
    )  # fmt: skip
    if cut is None:
        return None
    calls = []
    for (start, end), span in zip(((0, cut.start), (cut.end, len(text))), found, strict=True):
        part = text[start:end]
        said = [t for t in tokens if start <= t.start < end and t.has("action", "remind")]
        if said:  # the part's own 提醒我
            part = (
                text[start : said[0].start]
                + " " * (said[0].end - said[0].start)
                + text[said[0].end : end]
            )
        what = _without(part, text, span, start)
        if not what:
            return None
        calls.append(ToolCall("add_reminder", {"text": what, "minutes": span.minutes}))
    if remind.start >= cut.start:
        return None  # the remind word comes in the first part
    return calls[0], calls[1]


_TWO = 2


def _without(part: str, text: str, span: Span, offset: int) -> str:
    """``part`` (starting at ``offset`` in ``text``) without the duration and its connectors."""
    start, end = span.start - offset, span.end - offset
    if 0 <= start < len(part):
        part = part[:start] + part[max(end, start) :]
    part = part.strip(" ,，。.!！")
    for word in _CONNECTORS:
        if part.endswith(word.strip()):
            part = part[: -len(word.strip())]
        if part.startswith(word.strip()):
            part = part[len(word.strip()) :]
    return part.strip(" ,，。.!！")


_THEN = "就"
"""What follows a Chinese threshold that makes it a condition ("车速超过八十就…")."""


def plan_rule(
    tokens: list[Token], text: str, understand: Callable[[list[Token]], Plan]
) -> Plan | None:
    """A rule: a condition (with its marker) and the request to carry out when it comes true."""
    trigger_at = next((i for i, t in enumerate(tokens) if t.ids("trigger")), None)
    if trigger_at is None:
        return None
    trigger = tokens[trigger_at].ids("trigger")[0]
    marked = any(t.ids("when") for t in tokens) or tokens[trigger_at].text.startswith("一")
    # "一下雨就…", "车里一超过27度就…": 一…就 marks the condition as 如果 does
    value_at = next(
        (i for i in range(trigger_at + 1, min(len(tokens), trigger_at + 4))
         if tokens[i].kind == "number"),
        None,
    )  # fmt: skip
    if trigger in _COMPARATORS and value_at is None:
        return None  # "when we're going home": no threshold, no rule
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in tokens[trigger_at].text)
    then = value_at is not None and _THEN in text[tokens[value_at].end :]
    if not marked and not (chinese and trigger in _COMPARATORS and then):
        return None  # "车速超过八十就…" is a rule; "巡航速度降到九十", "switch over to 94.7" none
    condition = {trigger_at, *(i for i, t in enumerate(tokens) if t.ids("when"))}
    if value_at is not None:
        condition.add(value_at)
        if value_at + 1 < len(tokens) and tokens[value_at + 1].ids("unit"):
            condition.add(value_at + 1)
    rest = [t for i, t in enumerate(tokens) if i not in condition]
    alerts = [t for t in rest if t.has("action", "warn") or t.has("action", "remind")]
    warn = bool(alerts)  # "…就提醒我": a warning when it comes true
    action = understand([t for t in rest if t not in alerts])
    if not action.calls and not warn:
        return None
    value = tokens[value_at].number if value_at is not None else None
    args = {
        "trigger": trigger,
        "text": text,
        "actions": [
            {"tool": c.name, "args": dict(c.args)} for c in action.calls if c.name not in _LOOKS
        ],
        "value": value,
        "warn": warn,
    }
    return Plan("act", (ToolCall("create_rule", args),))


_LOOKS = ("vehicle_status", "trip_info")
"""Look-ups, not actions: "when it gets below 5 outside, …" names the outside to say when, and a
rule never runs a look-up."""
