"""Vehicle knowledge: questions in either language find the right section of the owner's manual,
questions it does not cover are recognised as such, and ask_manual answers in the occupant's
language."""

from __future__ import annotations

import asyncio

import pytest

from codriver.services.knowledge import OwnersManual, offline_knowledge
from codriver.services.knowledge.bm25 import BM25, Tokenizer
from codriver.testing import ScriptedBrain, offline_assistant

MANUAL = offline_knowledge()

QUESTIONS = [
    ("the tyre pressure light is on, what does it mean", "tyre-pressure-warning"),
    ("胎压灯亮了是什么意思", "tyre-pressure-warning"),
    ("what should my tire pressure be", "tyre-pressure-values"),
    ("胎压应该是多少", "tyre-pressure-values"),
    ("how do I open the charge port", "charge-port"),
    ("充电口怎么打开", "charge-port"),
    ("what does the red battery light mean", "battery-warning"),
    ("how long does it take to charge at a fast charger", "charging-dc"),
    ("快充要多久", "charging-dc"),
    ("家里充电要多久", "charging-ac"),
    ("how do I turn on the child lock", "child-lock"),
    ("儿童锁怎么开", "child-lock"),
    ("can I jump start another car", "jump-start"),
    ("能给别的车搭电吗", "jump-start"),
    ("ABS灯亮了", "abs"),
    ("what does ESP mean", "esc"),
    ("刹车灯亮了", "brake-warning"),
    ("brake warning light", "brake-warning"),
    ("seat belt keeps beeping", "seat-belt"),
    ("how do I save my seat position", "seat-memory"),
    ("座椅记忆怎么设置", "seat-memory"),
    ("how do I add washer fluid", "washer-fluid"),
    ("玻璃水在哪加", "washer-fluid"),
    ("前挡起雾了怎么办", "defrost"),
    ("what is eco mode", "drive-modes"),
    ("电机过热", "motor-temperature"),
    ("my key card isn't detected", "key-card"),
    ("how do I call for help in an accident", "emergency-call"),
    ("怎么拖车", "towing"),
    ("where is the spare tyre", "flat-tyre"),
]


@pytest.mark.parametrize(("question", "section"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_a_question_finds_the_section_that_answers_it(question: str, section: str) -> None:
    found = MANUAL.ask(question)
    assert found is not None, f"no answer to {question!r}"
    assert found.section.id == section


MISSES = [
    "what's the capital of France",
    "how do I change the oil",
    "tell me a joke",
    "今天天气怎么样",
    "给我讲个笑话",
    "这车多少钱",
]


@pytest.mark.parametrize("question", MISSES, ids=str)
def test_a_question_the_manual_does_not_cover_has_no_answer(question: str) -> None:
    assert MANUAL.ask(question) is None


def test_every_section_is_written_in_both_languages() -> None:
    assert len(MANUAL.sections) >= 25
    for section in MANUAL.sections:
        assert section.title.en and section.title.zh and section.text.en and section.text.zh
        assert "<!--" not in section.text.en + section.text.zh
        assert "\n" not in section.text.zh and " 的" not in section.text.zh


def test_the_manual_agrees_with_the_car() -> None:
    pressure = MANUAL.section("tyre-pressure-values")
    climate = MANUAL.section("climate")
    assert pressure is not None and "250 kPa" in pressure.text.en and "250 kPa" in pressure.text.zh
    assert climate is not None and "16 to 32" in climate.text.en and "16 到 32" in climate.text.zh


@pytest.mark.parametrize(
    ("en", "zh", "problem"),
    [
        ("## A {#a}\nText.", "## 甲 {#b}\n文字。", "not in both languages: a, b"),
        ("## A\nText.", "## 甲\n文字。", "heading without an id"),
        ("## A {#a}\nOne.\n## B {#a}\nTwo.", "## 甲 {#a}\n一。", "appears twice"),
        ("## A {#a}\n<!-- also: x -->", "## 甲 {#a}\n文字。", "is empty"),
    ],
    ids=["unpaired", "no-id", "twice", "empty"],
)
def test_a_broken_manual_says_what_is_wrong(en: str, zh: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        OwnersManual.load({"en": en, "zh": zh})


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("充电口怎么打开", ["充电", "电口", "打开"]),
        ("the lights are charging", ["light", "charg"]),
        ("ABS灯", ["abs", "灯"]),
        ("tyres and batteries", ["tyr", "battery"]),
    ],
    ids=["zh-bigrams", "en-stems", "mixed", "plurals"],
)
def test_english_is_split_into_stems_and_chinese_into_bigrams(text: str, tokens: list[str]) -> None:
    tokenize = Tokenizer(["the", "are", "and", "怎么"])
    assert tokenize(text) == tokens


def test_bm25_ranks_the_document_with_the_rarer_shared_term_first() -> None:
    index = BM25([["charge", "port"], ["charge", "time"], ["wiper", "blade"]])
    ranked = index.rank(["charge", "port"])
    assert [r.doc for r in ranked] == [0, 1]
    assert ranked[0].coverage == 1.0 and ranked[1].coverage < 0.5


def test_a_seam_between_two_known_words_does_not_count_against_a_question() -> None:
    index = BM25([["刹车", "灯亮"], ["雨刮"]])
    assert index.rank(["刹车", "车灯", "灯亮"])[0].coverage == 1.0
    assert index.rank(["刹车", "车x", "x灯"])[0].coverage < 1.0


@pytest.mark.parametrize(
    ("said", "question", "words"),
    [
        ("充电口怎么打开", "充电口怎么打开", ["打开充电口", "左后"]),
        ("how do I open the charge port", "how do I open the charge port", ["Opening", "left"]),
        ("what's the capital of France", "what's the capital of France", ["couldn't find"]),
        ("今天天气怎么样", "今天天气怎么样", ["没有找到"]),
    ],
    ids=["zh-hit", "en-hit", "en-miss", "zh-miss"],
)
def test_ask_manual_answers_in_the_occupants_language(
    said: str, question: str, words: list[str]
) -> None:
    brain = ScriptedBrain.calls([("ask_manual", {"question": question})])
    assistant = offline_assistant(brain=brain)
    result = asyncio.run(assistant.say(said))
    assert result.outcome == "answered"
    for word in words:
        assert word in result.reply
    assert result.changes == ()
