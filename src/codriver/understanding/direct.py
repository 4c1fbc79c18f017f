"""The direct brain: understands only explicit tool calls, e.g. ``set_temperature celsius=24``.

It is the floor beneath the language engines: deterministic, exact, useful to script the car from a
terminal or a test, and honest about everything else ("not understood").
"""

from __future__ import annotations

import shlex

from codriver.assistant.plan import Plan, ToolCall, TurnContext, Utterance
from codriver.yamlfile import YAMLError, load_yaml

YES = {"yes", "y", "ok", "sure", "是", "是的", "好", "好的", "确定", "可以"}
NO = {"no", "n", "cancel", "不", "不要", "不用", "取消", "算了"}


class DirectBrain:
    """Parses ``TOOL [NAME=VALUE ...]`` lines (several separated by ``;``) and yes/no answers."""

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        text = utterance.text.strip()
        word = text.lower().strip("!.。！ ")
        if context.pending_question is not None and word in YES:
            return Plan("confirm")
        if context.pending_question is not None and word in NO:
            return Plan("decline")
        calls = []
        for part in text.split(";"):
            call = _parse_call(part, context)
            if call is None:
                return Plan("not_understood", confidence=0.0)
            calls.append(call)
        return Plan("act", tuple(calls))


def _parse_call(text: str, context: TurnContext) -> ToolCall | None:
    try:
        words = shlex.split(text)
    except ValueError:
        return None
    if not words or context.tools.get(words[0]) is None:
        return None
    args: dict[str, object] = {}
    for word in words[1:]:
        name, sep, raw = word.partition("=")
        if not sep or not name.isidentifier():
            return None
        try:
            args[name] = load_yaml(raw) if raw else ""
        except YAMLError:
            args[name] = raw
    return ToolCall(words[0], args)
