"""The on-device engine: bilingual, offline, deterministic understanding in about a millisecond.

Pipeline: lexicon scan (one linear pass) → frames → dialogue (confirmations, pending slots, undo,
corrections, "too", "more") → device inference → needs or device resolution → tool calls.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from codriver.assistant.plan import Plan, PlanKind, ToolCall, TurnContext, Utterance
from codriver.text import Bilingual
from codriver.understanding.answers import starts_with_yes
from codriver.understanding.arrival import arrival_request
from codriver.understanding.asking import REPLIES, Asking
from codriver.understanding.automations import (
    plan_rule,
    plan_timing,
    reminder_when,
    reminder_without_time,
)
from codriver.understanding.bare import artist_and_title, bare_request, is_talk
from codriver.understanding.chitchat import FALLBACK, chitchat
from codriver.understanding.clauses import (
    awaited,
    cues_only,
    inherit,
    join,
    name_from_free_text,
    reason,
    strongest,
    sync,
    topic,
)
from codriver.understanding.completion import NAMING, completed, named_by
from codriver.understanding.devices import load_devices
from codriver.understanding.dialogue import Dialogue, amend
from codriver.understanding.frame_checks import confirms_need, inside_a_name, verbless_among_noise
from codriver.understanding.frames import Frame, build_frames, trim_query
from codriver.understanding.inference import Inference
from codriver.understanding.lexicon import Token, lower
from codriver.understanding.lexicon_files import load_lexicon
from codriver.understanding.memory import Memory
from codriver.understanding.names import plausible, starts_chinese
from codriver.understanding.needs import remedy_for
from codriver.understanding.questions import ask_for
from codriver.understanding.resolve import Need, Scope, resolve
from codriver.understanding.sentence import (
    OPEN_SLOT,
    Reading,
    holds_a_question_word,
    read_sentences,
)
from codriver.understanding.timers import after_a_timer, plan_timer
from codriver.understanding.titles import played_titles
from codriver.understanding.trips import asking_about_trip, one_trip, with_given_distance


@dataclass
class Interpretation:
    """What the engine understood, before anything is executed (``codriver parse``)."""

    lang: str
    frames: list[Frame]
    plan: Plan
    devices: list[str | None] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    offer: list[ToolCall] = field(default_factory=list)
    reading: Reading = field(default_factory=Reading)
    """What kind of sentence each clause is (``sentence.py``)."""
    asides: list[Bilingual] = field(default_factory=list)
    """What to say when nothing else is done or said: why a clause was left alone."""
    declined: bool = False
    """A request was turned down by what the car can do (no screen control, nothing later)."""
    remedied: list[ToolCall] = field(default_factory=list)
    """The relative changes a vague need was met with ("I'm cold": two degrees up)."""


class LocalBrain:
    """The default brain: no network, no model, the same answer every time. Its parts share one
    memory: inference (which device a frame means), asking (the look-up a question needs) and
    dialogue (turns that refer to the turns before)."""

    def __init__(self) -> None:
        self.lexicon = load_lexicon()
        self.devices = load_devices()
        self.parts = {name: spec.part_of for name, spec in self.devices.items() if spec.part_of}
        self.memory = Memory()
        self.inference = Inference(self.devices, self.memory)
        self.asking = Asking(self.devices, self.inference)
        self.dialogue = Dialogue(self.devices, self.memory)

    async def plan(self, utterance: Utterance, context: TurnContext) -> Plan:
        return self.understand(utterance, context).plan

    def recollection(self) -> Memory:
        """A copy of what the brain remembers, to :meth:`recall` after a plan not taken."""
        return copy.deepcopy(self.memory)

    def recall(self, memory: Memory) -> None:
        """Remember again what :meth:`recollection` copied (its parts share this memory)."""
        fresh = copy.deepcopy(memory)
        self.memory.frames, self.memory.awaiting = fresh.frames, fresh.awaiting
        self.memory.remedy, self.memory.reminding = fresh.remedy, fresh.reminding

    def understand(self, utterance: Utterance, context: TurnContext) -> Interpretation:
        text = lower(utterance.text)
        scanned = played_titles(self.lexicon.scan(text), text)
        reading = read_sentences(text, scanned)
        tokens = reading.unmasked(scanned)  # an insult asks for nothing ("go to hell")
        frames = self._frames(tokens, utterance.text, reading)
        result = Interpretation(utterance.lang, frames, Plan("silent"), reading=reading)
        estimate = arrival_request(utterance.text)
        if estimate is not None:  # "80 km to go at about 90, can we be there by four?"
            result.plan = Plan("act", (estimate,), None, 1.0, sentence=reading.kind)
            return result
        asked = reading.kind == "question"
        follows = after_a_timer(context)
        automation = plan_timer(tokens, utterance.text, asked=asked, follows=follows)
        reminding, self.memory.reminding = self.memory.reminding, None
        if automation is None and reminding is not None and not asked:
            automation = reminder_when(tokens, utterance.text, reminding)  # "in 20 minutes"
        if automation is None and not asked:
            automation = plan_timing(tokens, utterance.text) or plan_rule(
                tokens, utterance.text, lambda part: self._later(part, utterance, context)
            )
        if automation is None and not asked:
            what = reminder_without_time(tokens, utterance.text)
            if what is not None:  # "remind me to buy flowers": when?
                self.memory.reminding = what
                automation = Plan("ask", say=REPLIES.get("ask_when_remind"), confidence=1.0)
        plan = automation or self._plan(utterance, context, frames, text, result)
        result.plan = replace(plan, sentence=reading.kind)
        return result

    def _frames(
        self, tokens: list[Token], text: str, reading: Reading | None = None
    ) -> list[Frame]:
        frames = build_frames(tokens, text, self.parts, self.lexicon.query_words)
        for frame in frames:
            frame.sentence = reading.at(frame.at) if reading is not None else None
            frame.question = frame.sentence is not None and frame.sentence.kind == "question"
        for frame in frames:  # words nobody understood anywhere in the frame's clause
            same = [f for f in frames if f.sentence is not None and f.sentence is frame.sentence]
            frame.around = sum(f.unknown for f in same) - frame.unknown if same else 0
        return frames

    def _later(self, tokens: list[Token], utterance: Utterance, context: TurnContext) -> Plan:
        """The plan for part of an utterance, to be carried out later (a rule's action)."""
        other = LocalBrain()
        frames = other._frames(tokens, utterance.text)
        quiet = replace(context, pending_question=None)
        interpretation = Interpretation(utterance.lang, frames, Plan("silent"))
        return other._plan(utterance, quiet, frames, lower(utterance.text), interpretation)

    # -- planning ------------------------------------------------------------------------

    def _plan(
        self,
        utt: Utterance,
        ctx: TurnContext,
        frames: list[Frame],
        text: str,
        result: Interpretation,
    ) -> Plan:
        words = sum(f.words for f in frames) or 1
        confidence = 1.0 - sum(f.unknown + f.heard for f in frames) / words  # words guessed
        asked = result.reading.kind == "question"
        answer = None if asked else self._answer_pending(ctx, frames, utt.text)
        if answer is not None:
            return answer
        scope = Scope(ctx.state, utt.speaker)
        calls: list[ToolCall] = []
        says: list[Bilingual] = []
        needs: list[Need] = []
        acted: list[tuple[Frame, str, list[ToolCall]]] = []
        previous: Frame | None = None
        awaiting, self.memory.awaiting = self.memory.awaiting, None
        if any(f.device for f in frames) and (awaiting is None or awaiting[2] != "device"):
            awaiting = None  # an utterance that names its own device is no answer to the slot
        frames = asking_about_trip(frames)
        reasons: list[Frame] = []
        for index, frame in enumerate(frames):
            if previous is not None and "negation" in previous.cues and "only" not in frame.cues:
                previous = None  # "别开窗啊，外面灰太大了": what is not to be done lends nothing
            if frame.question:  # "开到苏州的话，到了还剩多少电": the place is named before
                frame = completed(frame, frames[index - 1] if index else None, None, utt.text)
            kept = self._by_kind(frame, previous, utt, scope, says, acted, result)
            if kept is not None:
                calls.extend(kept)  # a question's look-up, or nothing for talk that asks nothing
                said_of_here = frame.sentence is None or frame.sentence.kind not in _TALK
                previous = frame if frame.device and said_of_here else previous  # lends nothing
                continue
            if topic(frame) and any(not f.device and f.actions for f in frames[index + 1 :]):
                previous = frame  # "后视镜上全是水珠，加热一下": the device, then what to do
                continue
            if len(frames) > 1 and reason(frame):
                reasons.append(frame)  # maybe only the reason for a command beside it
                previous = frame if frame.device else previous
                continue
            frame = completed(frame, frames[index - 1] if index else None, awaiting, utt.text)
            if "no" in frame.cues and frame.zones == ["other"]:
                frame.cues.add("correction")  # "nope, the other side"
            talk = frame.sentence is not None and frame.sentence.kind in _TALK
            amended = amend(acted[-1][0], frame, utt.text) if acted and not talk else None
            if "correction" in frame.cues and amended is not None:
                # "open the window — no, the sunroof", "play country, no wait, reggae"
                _, _, wrong_calls = acted.pop()
                calls = [c for c in calls if all(c is not w for w in wrong_calls)]
                frame = amended
            frame_calls = None if talk else self.dialogue.refer_back(frame, ctx, scope, utt.text)
            before = frames[index - 1] if index else None
            if frame_calls is None and confirms_need(frame, reasons, before):
                frame = reasons.pop()  # "有点冷，开一下", "方向盘好冰，加热一下": meet the need
            if frame_calls is None:
                frame_calls = self._frame(frame, previous, utt, scope, says, needs, acted, result)
            calls.extend(frame_calls)
            previous = frame if frame.device or frame.actions else previous
        if any(c.abuse for c in result.reading.clauses):
            result.asides.append(REPLIES.get("abuse"))
        if not calls:
            for frame in reasons:
                calls.extend(self._frame(frame, None, utt, scope, says, needs, acted, result))
        calls = with_given_distance(calls, frames)
        self._remember(acted, result)
        return self._compose(utt, ctx, frames, text, calls, says, needs, result, confidence)

    def _remember(
        self, acted: list[tuple[Frame, str, list[ToolCall]]], result: Interpretation
    ) -> None:
        """What the next turn may refer to: the frames acted on, or the changes a need made."""
        if acted:
            self.memory.frames = [(frame, device) for frame, device, _ in acted]
            self.memory.remedy = []
        elif result.remedied:
            self.memory.frames, self.memory.remedy = [], list(result.remedied)

    def _compose(
        self,
        utt: Utterance,
        ctx: TurnContext,
        frames: list[Frame],
        text: str,
        calls: list[ToolCall],
        says: list[Bilingual],
        needs: list[Need],
        result: Interpretation,
        confidence: float,
    ) -> Plan:
        """The plan from what the clauses gave: act, ask for a missing slot, answer, or say
        what was not understood."""
        devices = load_devices()
        howto = any("howto" in f.cues for f in frames) and not any(
            set(f.actions) & set(OPEN_SLOT)
            or (f.device in devices and devices[f.device].kind == "nearby")  # "加油站在哪儿"
            for f in frames
        )
        if howto and ctx.tools.get("ask_manual") is not None:
            # "how do I open the charge port?": instructions, not the action itself
            return Plan("act", (ToolCall("ask_manual", {"question": utt.text}),), None, confidence)
        calls = _no_stray_undo(one_trip(calls))  # "find the closest car park and take me there"
        if calls or result.offer:
            return Plan("act", tuple(calls), join(says), confidence, tuple(result.offer))
        asks = _asks_anything(frames, result) or holds_a_question_word(lower(utt.text))
        bare = None if asks else bare_request(utt.text, self.lexicon.query_words)
        if bare is None and not asks and not any(f.device or f.cues - {"yes"} for f in frames):
            bare = artist_and_title(utt.text, self.lexicon.query_words)  # "张学友的吻别"
        if bare is not None:
            again = None if ctx.pending_question else self._another_name(utt, ctx, frames, result)
            alone = [utt.text.strip(" 。.!！?？,，")]  # the name and nothing else ("到南京" goes)
            if again is not None and list(again.args.values()) == list(bare.args.values()) == alone:
                bare = again  # "放一首赵雷的歌" → "成都": the song, though 成都 is a city too
            return Plan("act", (bare,), None, confidence)  # "北湖公园", "周华健的歌"
        if needs:
            need = needs[0]
            self.memory.awaiting = (awaited(frames, need), need.device, need.slot)
            return Plan("ask", say=ask_for(need), confidence=confidence)
        if says:
            kind: PlanKind = "refuse" if result.declined else "answer"
            return Plan(kind, say=join(says), confidence=confidence)
        if result.asides:
            return Plan("answer", say=result.asides[0], confidence=confidence)
        talk = chitchat(text)
        if talk is not None:
            return Plan("answer", say=talk, confidence=confidence)
        if frames and all(cues_only(f) for f in frames) and any("no" in f.cues for f in frames):
            instead = self._instead(utt, ctx, frames, result)
            if instead is not None:
                return Plan("act", (instead,), None, confidence)  # "算了，徐家汇": that one
            return Plan("decline", confidence=confidence)
        named = None if ctx.pending_question else self._another_name(utt, ctx, frames, result)
        if named is not None:
            return Plan("act", (named,), None, confidence)
        return Plan("not_understood", say=FALLBACK, confidence=min(confidence, 0.3))

    def _instead(
        self, utt: Utterance, ctx: TurnContext, frames: list[Frame], result: Interpretation
    ) -> ToolCall | None:
        """A "no" and then a name, right after a song, a place or a call was asked for: that
        name instead ("导航去陆家嘴" → "算了，徐家汇", "play Adele" → "nah, Coldplay")."""
        free = frames[-1].free
        if ctx.pending_question or free is None or free[0] == 0:
            return None
        rest = replace(utt, text=utt.text[free[0] :])
        return self._another_name(rest, ctx, frames, result)

    def _another_name(
        self, utt: Utterance, ctx: TurnContext, frames: list[Frame], result: Interpretation
    ) -> ToolCall | None:
        """A bare name right after a song or a place was asked for: another of those ("播放周杰伦
        的歌" → "稻香", "导航到外滩" → "豫园")."""
        last = ctx.history[-1] if ctx.history else None
        named = [named_by(c) for c in last.plan.calls if named_by(c)] if last else []
        tool = named[0] if named and last is not None and last.outcome == "done" else None
        if tool is None or _asks_anything(frames, result) or any(f.device for f in frames):
            return None
        if holds_a_question_word(lower(utt.text)):
            return None  # "续行还有多少": a garbled question, no title
        words = self.lexicon.query_words
        name = trim_query(utt.text, words)
        if len(set(name)) < 2 or len(name) > _LONGEST_NAME:
            return None  # "哈哈哈" is laughter, not a title
        if not plausible(name, NAMING[tool], words) or set(name) <= words.clause_chars:
            return None
        title = tool == "play_media" and starts_chinese(name)  # titles hold 我, 你 and 想
        if not title and is_talk(name):
            return None  # "can I make it to Hangzhou without charging": a sentence, no name
        return ToolCall(tool, {_NAMING_ARG[tool]: name})

    def _by_kind(
        self,
        frame: Frame,
        previous: Frame | None,
        utt: Utterance,
        scope: Scope,
        says: list[Bilingual],
        acted: list[tuple[Frame, str, list[ToolCall]]],
        result: Interpretation,
    ) -> list[ToolCall] | None:
        """What the clause's kind makes of the frame: a question's look-up; nothing for talk
        about elsewhere, chitchat, nonsense or a request for later; None for a request, which
        the devices then carry out."""
        clause = frame.sentence
        if clause is None:
            return None
        if clause.kind == "question":
            return self.asking.look_up(frame, previous, utt, scope, result.asides, acted)
        if clause.later:
            if REPLIES.get("later") not in says:
                says.append(REPLIES.get("later"))  # "once we're going 120 …": not now
            result.declined = True
            return []
        if clause.kind in ("command", "need") or (clause.kind == "nonsense" and not clause.abuse):
            return None  # unknown words may still answer a question the engine asked
        if clause.kind == "elsewhere":
            result.asides.append(REPLIES.get("elsewhere"))
        return []

    def _answer_pending(self, ctx: TurnContext, frames: list[Frame], text: str) -> Plan | None:
        """A yes or no to the question pending ("yes, take me there", "不用了，我自己找"), or a
        verb alone that answers it ("关上吧")."""
        if ctx.pending_question is None or not frames:
            return None
        first = frames[0]
        if "correction" in first.cues:
            return None
        if "yes" in first.cues and "no" not in first.cues and starts_with_yes(text):
            return Plan("confirm")  # a yes opens the answer: "…好用吗" holds 好 and says no yes
        if "no" in first.cues or ("negation" in first.cues and not first.device):
            return Plan("decline")
        if first.device or first.query:
            return None
        if len(frames) == 1 and first.actions and not first.has_value and not first.unknown:
            return Plan("confirm")  # a verb alone ("关上吧"), not a verb amid other words
        return None

    def _frame(
        self,
        frame: Frame,
        previous: Frame | None,
        utt: Utterance,
        scope: Scope,
        says: list[Bilingual],
        needs: list[Need],
        acted: list[tuple[Frame, str, list[ToolCall]]],
        result: Interpretation,
    ) -> list[ToolCall]:
        negated = "negation" in frame.cues and "only" not in frame.cues
        if negated and (frame.actions or frame.has_value or frame.needs):
            result.asides.append(REPLIES.get("leave_it"))  # "never open the sunroof"
            return []
        absent = frame.device and self.devices[frame.device].kind == "absent"
        if frame.needs and absent and not frame.actions:
            says.append(_absent(str(frame.device)))  # "屏幕太亮了": the screen, not the cabin
            return []
        if frame.needs and not (frame.device and frame.actions) and not frame.question:
            return _remedy(frame, utt, scope, says, result)
        frame = inherit(frame, previous)
        if "more" in frame.cues and frame.device and not frame.actions and not frame.has_value:
            frame.actions = ("up",)  # "a bit more lumbar support", "再多点风": more of it
        if frame.action in OPEN_SLOT and not frame.query and frame.modes:
            frame.actions = tuple(a for a in frame.actions if a not in OPEN_SLOT)  # "go to eco"
        device = self.inference.device(frame, previous, utt, scope)
        if device is not None and verbless_among_noise(frame, device):
            result.ambiguous.append("device")  # "banana window spaceship seventeen": no request
            return []
        name_from_free_text(frame, device, utt.text)
        result.devices.append(device)
        if device is None:
            if frame.has_value or frame.actions:
                result.ambiguous.append("device")
            if frame.deictic and frame.actions and not frame.unknown:
                needs.append(Need("device", "any"))  # "open that one", seen by no camera
            elif frame.action in ("off", "pause") and not (frame.unknown or frame.has_value):
                says.append(REPLIES.get("nothing_on"))  # "取消" with nothing under way
            return []
        if self.devices[device].kind == "absent":
            says.append(_absent(device))  # "dim the screen": declined by name, not misread
            result.declined = bool(frame.actions or frame.has_value)
            return []
        if "sync" in frame.actions and device == "temperature":
            resolved: list[ToolCall] | Need = sync(frame, scope)
        else:
            resolved = resolve(frame, self.devices[device], scope)
        if isinstance(resolved, Need):
            needs.append(resolved)
            return []
        acted.append((frame, device, resolved))
        return resolved


def _absent(device: str) -> Bilingual:
    key = f"absent.{device}"
    return REPLIES.get(key) if key in REPLIES else REPLIES.get("absent")


def _no_stray_undo(calls: list[ToolCall]) -> list[ToolCall]:
    """The calls without an undo said amid several requests of its own turn: an undo puts back the
    last turn, which is right with the one request that corrects it, wrong amid others."""
    if len(calls) <= _CORRECTED:
        return calls
    return [c for c in calls if c.name != "undo_last_change"]


def _remedy(
    frame: Frame, utt: Utterance, scope: Scope, says: list[Bilingual], result: Interpretation
) -> list[ToolCall]:
    """A vague need met by what the state suggests; its words and any offer go with it."""
    named = [z for z in frame.zones if z in _REMEDY_ZONES]  # "后面的孩子有点冷": the rear, not me
    whose = named[0] if len(named) == 1 else scope.speaker
    calls, say, offer = remedy_for(strongest(frame.needs), scope.state, whose, utt.lang)  # type: ignore[arg-type]
    result.offer.extend(offer)
    result.remedied.extend(c for c in calls if "delta" in c.args)
    if say is not None:
        says.append(say)
    return calls


_REMEDY_ZONES = ("driver", "passenger", "rear_left", "rear_right", "front", "rear")
"""Zones a need may be said for ("the kids in the back are cold")."""
_CORRECTED = 2
"""Calls a correction makes: the undo of the last turn and the request that replaces it."""


_NAMING_ARG = {"play_media": "query", "navigate_to": "place"}
_LONGEST_NAME = 20
"""Characters a name said alone may have; longer is talk."""


_TALK = ("elsewhere", "chitchat")
"""Clauses that refer back to nothing: "my mom's car actually gets hot" corrects no request."""


def _asks_anything(frames: list[Frame], result: Interpretation) -> bool:
    """Whether the utterance asks a question or for an action of its own (then no bare name).
    A lone verb amid a stretch of unknown words asks for nothing: it is a character of a name
    ("贝加尔湖畔" holds 加)."""
    if result.reading.kind == "question":
        return True
    return any(f.needs or (f.actions and not inside_a_name(f)) for f in frames)
