"""Sentence types: one place decides, and a question never changes the car."""

from __future__ import annotations

import asyncio
from typing import get_args

import pytest

from codriver.assistant.executor import Caller
from codriver.assistant.plan import Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.testing import RecordingBus, ScriptedBrain, SimulatedCar, offline_assistant
from codriver.text import detect_lang
from codriver.tools.base import ToolContext
from codriver.tools.status import Topic, vehicle_status
from codriver.understanding import LocalBrain
from codriver.understanding.devices import load_devices
from codriver.understanding.lexicon import lower
from codriver.understanding.lexicon_files import load_lexicon
from codriver.understanding.sentence import read_sentences

KINDS = {
    # yes/no, wh-, A-not-A, final particles, questions inside a request to look
    "en-yes-no": ("are any doors unlocked?", "question"),
    "en-aux-subject": ("did I leave the sunroof open", "question"),
    "en-wh-fronted": ("how high is the fan", "question"),
    "en-embedded": ("can you check whether the trunk is shut", "question"),
    "zh-final-particle": ("后备箱关上了没有", "question"),
    "zh-a-not-a": ("大灯开没开", "question"),
    "zh-wh-in-place": ("哪一扇门是锁着的", "question"),
    "zh-embedded": ("帮我看看车门锁好了没有", "question"),
    # questions in form, requests in fact
    "en-polite": ("could you close the sunroof?", "command"),
    "en-aux-without-subject": ("do all that", "command"),
    "en-title-after-verb": ("play what a wonderful world", "command"),
    "zh-polite-tail": ("把座椅加热打开好不好", "command"),
    "zh-polite-head": ("能帮我把天窗关上吗", "command"),
    "zh-indefinite": ("来几首周杰伦的歌", "command"),
    # needs, talk about elsewhere, chitchat
    "en-need": ("I'm freezing", "need"),
    "zh-need": ("太闷了", "need"),
    "en-home": ("turn off the lights at home", "elsewhere"),
    "en-memory": ("yesterday the trunk wouldn't open", "elsewhere"),
    "en-someone-elses-habit": ("my wife always opens the sunroof", "elsewhere"),
    "zh-home": ("把家里的灯关了", "elsewhere"),
    "zh-other-car": ("我朋友的车座椅加热特别好用", "elsewhere"),
    "en-story": ("tell me a story about a dragon who plays music", "chitchat"),
    "en-insult": ("go to hell", "chitchat"),
    "zh-insult": ("去死", "chitchat"),
    "en-nonsense": ("blah blah", "nonsense"),
    # a destination is no talk about elsewhere
    "zh-home-as-destination": ("导航到我家", "command"),
}


def kind_of(text: str) -> str:
    lowered = lower(text)
    return read_sentences(lowered, load_lexicon().scan(lowered)).kind


@pytest.mark.parametrize(("text", "kind"), KINDS.values(), ids=KINDS.keys())
def test_one_place_decides_the_kind_of_sentence(text: str, kind: str) -> None:
    assert kind_of(text) == kind


LATER = {
    "en-condition": "once we're doing 120 turn off the headlights",
    "en-event": "when we get on the highway close my window",
    "en-delay": "in 20 minutes open the trunk",
    "zh-delay-before": "过30分钟开机盖",
    "zh-delay-after": "二十分钟以后把车窗关上",
    "zh-event": "上了高速以后把窗户关上",
}


@pytest.mark.parametrize("text", LATER.values(), ids=LATER.keys())
def test_a_request_on_a_condition_or_for_later_is_marked(text: str) -> None:
    lowered = lower(text)
    reading = read_sentences(lowered, load_lexicon().scan(lowered))
    assert any(c.later for c in reading.clauses)


SCOPES = {
    "en-delay-in-its-own-clause": ("pause the music for now, play it again later", [False, True]),
    "zh-delay-in-its-own-clause": ("先把音乐关了，一会儿再听", [False, True]),
    "en-delay-said-first": ("in a bit, turn off the AC", [True, True]),
    "zh-condition-said-first": ("上了高速以后，把窗户关上", [True, True]),
}


@pytest.mark.parametrize(("text", "later"), SCOPES.values(), ids=SCOPES.keys())
def test_a_delay_holds_for_its_clause_a_condition_for_what_follows(
    text: str, later: list[bool]
) -> None:
    lowered = lower(text)
    reading = read_sentences(lowered, load_lexicon().scan(lowered))
    assert [c.later for c in reading.clauses] == later


@pytest.mark.parametrize("text", ["if you could, open the window", "开了三个小时，腰好酸"])
def test_courtesy_and_a_past_duration_are_no_condition(text: str) -> None:
    lowered = lower(text)
    reading = read_sentences(lowered, load_lexicon().scan(lowered))
    assert not any(c.later for c in reading.clauses)


def test_an_insult_is_masked_before_the_request_is_read() -> None:
    lowered = lower("那你去死吧")
    tokens = load_lexicon().scan(lowered)
    reading = read_sentences(lowered, tokens)
    kept = "".join(t.text for t in reading.unmasked(tokens))
    assert "去" not in kept and reading.masked


QUESTIONS = [
    "are any doors unlocked?",
    "哪一扇门是锁着的？",
    "is my seat heater on?",
    "is the boot shut properly?",
    "have I got my headlights on?",
    "现在放的是什么歌",
    "我们现在导航去哪",
    "is there a coffee shop around here?",
    "how far is it to Pudong airport?",
    "空调开着没有",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_plans_look_ups_only(text: str) -> None:
    """Whatever the engine plans for a question, trying each call changes nothing."""
    assistant = offline_assistant()
    state = asyncio.run(assistant.executor.state())
    utterance = Utterance(text, detect_lang(text))
    plan = LocalBrain().understand(utterance, TurnContext(state, (), assistant.tools)).plan
    assert plan.sentence == "question"
    for call in plan.calls:
        tried = asyncio.run(assistant.executor.dry_run(call, Caller()))
        assert tried.status == "answered" or (tried.status == "asked" and tried.choices), call


def test_the_assistant_never_runs_a_writing_call_for_a_question() -> None:
    """The last line of defence: a brain that plans a write for a question is overruled."""
    opened = ToolCall("set_door", {"open": True, "door": "driver"})
    asked = ToolCall("vehicle_status", {"topic": "doors"})
    brain = ScriptedBrain([Plan("act", (opened, asked), sentence="question")])
    bus = RecordingBus(SimulatedCar())
    assistant = Assistant(bus=bus, brain=brain)
    result = asyncio.run(assistant.say("are the doors closed?"))
    assert bus.writes == []
    assert result.outcome == "answered"
    assert "closed" in result.reply


def test_a_question_with_only_a_write_says_nothing_changed() -> None:
    brain = ScriptedBrain(
        [Plan("act", (ToolCall("set_hood", {"open": True}),), sentence="question")]
    )
    bus = RecordingBus(SimulatedCar())
    result = asyncio.run(Assistant(bus=bus, brain=brain).say("is the hood open?"))
    assert bus.writes == []
    assert result.outcome == "answered" and "question" in result.reply


def test_a_command_is_not_overruled() -> None:
    brain = ScriptedBrain(
        [Plan("act", (ToolCall("set_hood", {"open": True}),), sentence="command")]
    )
    bus = RecordingBus(SimulatedCar())
    asyncio.run(Assistant(bus=bus, brain=brain).say("open the hood"))
    assert ("Vehicle.Body.Hood.IsOpen", True) in bus.writes


def test_every_device_status_is_a_topic_the_status_tool_answers() -> None:
    topics = set(get_args(Topic))
    named = {
        spec.status or spec.topic for spec in load_devices().values() if spec.kind != "automation"
    }
    assert named - {None} <= topics


@pytest.mark.parametrize("topic", get_args(Topic))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_topic_answers_in_both_languages(topic: str, lang: str) -> None:
    state = asyncio.run(offline_assistant().executor.state())
    effect = vehicle_status.run(ToolContext(state, lang=lang), {"topic": topic, "zone": None})
    assert effect.answer is not None and not effect.writes
    assert effect.answer.in_(lang)  # type: ignore[arg-type]


def test_an_llm_plan_for_what_the_engine_read_as_a_question_changes_nothing() -> None:
    """Hybrid: the engine cannot answer, the LLM is asked and plans a write; it is not run."""
    from codriver.llm import LLMSettings, make_brain
    from codriver.testing.openai_server import Reply, ScriptedOpenAI, ToolCallReply, replies

    opened = Reply(tool_calls=(ToolCallReply("set_door", {"open": True, "door": "driver"}),))
    with ScriptedOpenAI(replies([opened]), model="m", api_key="k") as server:
        settings = LLMSettings(base_url=server.base_url, model="m", api_key="k", timeout_s=5)
        assistant = offline_assistant(brain=make_brain("hybrid", settings))
        result = asyncio.run(assistant.say("is the glovebox shut?"))
        assert server.requests, "the LLM was asked"
    assert result.changes == ()
    assert result.outcome == "answered"
