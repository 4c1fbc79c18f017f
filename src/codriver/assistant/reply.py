"""One short reply for a turn, in the occupant's language, and the turn's outcome."""

from __future__ import annotations

from collections.abc import Sequence

from codriver.assistant.plan import Plan
from codriver.assistant.result import ActionResult, Outcome
from codriver.text import Bilingual, Lang, PhraseBook

PHRASES = PhraseBook.load("codriver.assistant", "data/replies.yaml")


def outcome_of(plan: Plan, actions: Sequence[ActionResult]) -> Outcome:
    """The turn's outcome by FORMAT.md: asked > done > refused > answered > none."""
    statuses = {a.status for a in actions}
    if "asked" in statuses or plan.kind == "ask" or plan.offer:
        return "asked"
    if "done" in statuses:
        return "done"
    if statuses & {"refused", "failed"} or (plan.kind == "refuse" and not statuses):
        return "refused"
    if statuses or plan.kind in ("answer", "not_understood", "decline") or plan.say:
        return "answered"
    return "none"


def compose(plan: Plan, actions: Sequence[ActionResult], lang: Lang) -> str:
    """Done parts first, then what could not be done and why, then any question."""
    done = [a.message for a in actions if a.status in ("done", "answered") and a.message]
    refused = [a.message for a in actions if a.status in ("refused", "failed") and a.message]
    held = [a for a in actions if a.status == "asked" and not a.choices]
    asked = [a.message for a in actions if a.status == "asked" and a.choices and a.message]
    if held:
        asked.insert(0, held_question(held))
    parts: list[str] = []
    if done:
        parts.append(_capitalize(_join([m.in_(lang) for m in done], lang)))
    parts.extend(m.in_(lang) for m in refused)
    parts.extend(m.in_(lang) for m in asked)
    if plan.say is not None:
        parts.append(plan.say.in_(lang))
    if not parts and actions:
        parts.append(PHRASES.get("done").in_(lang))
    if not parts and plan.kind == "not_understood":
        parts.append(PHRASES.get("not_understood").in_(lang))
    return _sentences(parts, lang)


def held_question(held: Sequence[ActionResult]) -> Bilingual:
    """The question for actions held for a yes: each reason once, then every action it holds,
    so that a yes confirms what was named ("We're moving. Unlock anyway? That means: doors
    unlocked and trunk open.")."""
    reasons = list(dict.fromkeys(a.message for a in held if a.message))
    named = [a.would for a in held if a.would is not None]
    en = [r.en for r in reasons]
    zh = [r.zh for r in reasons]
    if named:
        listed = Bilingual(
            _join([n.en for n in named], "en"), "、".join(n.zh.replace("已", "") for n in named)
        )
        said = PHRASES.get("held", actions=listed)
        en.append(said.en)
        zh.append(said.zh)
    return Bilingual(_sentences(en, "en"), _sentences(zh, "zh"))


def phrase(key: str, **params: object) -> Bilingual:
    return PHRASES.get(key, **params)


def _join(items: list[str], lang: Lang) -> str:
    if lang == "zh":
        return "，".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentences(parts: list[str], lang: Lang) -> str:
    end = "。" if lang == "zh" else "."
    out = []
    for part in parts:
        part = part.strip()
        if part and part[-1] not in ".!?。！？":
            part += end
        out.append(part)
    return ("" if lang == "zh" else " ").join(out)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
