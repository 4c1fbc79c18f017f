"""Scenario matchers (FORMAT.md "Matchers"): each key holding and not holding, and bad ones."""

from __future__ import annotations

import pytest

from codriver.scenarios.matchers import compile_matcher, equal

NO_BEFORE = object()

# (matcher as written in YAML, actual value, value before the turn, holds?)
CASES = {
    # plain value: numbers within 0.01, strings case-insensitive, lists element by element
    "number-equal": (24, 24.0, None, True),
    "number-within-tolerance": (24, 24.009, None, True),
    "number-just-outside-tolerance": (24, 24.02, None, False),
    "number-other": (24, 23, None, False),
    "string-case-insensitive": ("off", "OFF", None, True),
    "string-other": ("OFF", "ON", None, False),
    "bool-equal": (True, True, None, True),
    "bool-is-not-a-number": (True, 1, None, False),
    "number-is-not-a-bool": (0, False, None, False),
    "list-equal": (["Bund", "cafe"], ["bund", "Cafe"], None, True),
    "list-order-matters": (["Bund", "cafe"], ["cafe", "Bund"], None, False),
    "list-length-matters": (["Bund"], ["Bund", "cafe"], None, False),
    "list-numbers-within-tolerance": ([1, 2], [1.001, 2], None, True),
    "string-is-not-a-list": ("Bund", ["Bund"], None, False),
    "missing-value": (22, None, None, False),
    # min / max
    "min-holds": ({"min": 16}, 16, None, True),
    "min-fails": ({"min": 16}, 15.5, None, False),
    "max-holds": ({"max": 28}, 28, None, True),
    "max-fails": ({"max": 28}, 28.5, None, False),
    "min-max-inside": ({"min": 20, "max": 28}, 25, None, True),
    "min-max-outside": ({"min": 20, "max": 28}, 19, None, False),
    "min-not-a-number": ({"min": 0}, "5", None, False),
    "min-bool-is-not-a-number": ({"min": 0}, True, None, False),
    # up / down, relative to the value before the turn
    "up-holds": ({"up": True}, 23, 22, True),
    "up-unchanged-fails": ({"up": True}, 22, 22, False),
    "up-lower-fails": ({"up": True}, 21, 22, False),
    "down-holds": ({"down": True}, 20, 22, True),
    "down-higher-fails": ({"down": True}, 23, 22, False),
    "up-without-before-fails": ({"up": True}, 23, None, False),
    # in
    "in-holds": ({"in": ["SLOW", "MEDIUM"]}, "medium", None, True),
    "in-fails": ({"in": ["SLOW", "MEDIUM"]}, "FAST", None, False),
    "in-numbers": ({"in": [0, 100]}, 100.005, None, True),
    # contains: on strings and on lists
    "contains-string": ({"contains": "bund"}, "The Bund, Shanghai", None, True),
    "contains-string-fails": ({"contains": "airport"}, "The Bund", None, False),
    "contains-list": ({"contains": "tea"}, ["10 min", "Tea timer"], None, True),
    "contains-list-fails": ({"contains": "tea"}, ["10 min"], None, False),
    "contains-number-fails": ({"contains": "1"}, 1, None, False),
    # match: a regular expression, case-insensitive, on strings and on list elements
    "match-string": ({"match": "外滩|Bund"}, "the bund", None, True),
    "match-chinese": ({"match": "外滩|Bund"}, "上海外滩", None, True),
    "match-string-fails": ({"match": "^bund$"}, "the bund", None, False),
    "match-list": ({"match": r"\d+ ?min"}, ["tea", "10 min"], None, True),
    "match-list-fails": ({"match": r"\d+ ?min"}, ["tea"], None, False),
    # count
    "count-holds": ({"count": 2}, ["a", "b"], None, True),
    "count-zero": ({"count": 0}, [], None, True),
    "count-fails": ({"count": 2}, ["a"], None, False),
    "count-not-a-list": ({"count": 1}, "a", None, False),
    # not
    "not-holds": ({"not": "OFF"}, "SLOW", None, True),
    "not-fails": ({"not": "OFF"}, "off", None, False),
    "not-nested-matcher": ({"not": {"in": ["OFF", "INTERVAL"]}}, "FAST", None, True),
    "not-nested-matcher-fails": ({"not": {"in": ["OFF", "INTERVAL"]}}, "OFF", None, False),
    # several keys: all must hold
    "combined-holds": ({"up": True, "max": 28}, 25, 22, True),
    "combined-max-fails": ({"up": True, "max": 28}, 29, 22, False),
    "combined-up-fails": ({"up": True, "max": 28}, 21, 22, False),
    "combined-min-not": ({"min": 1, "not": 5}, 5, None, False),
    "combined-count-contains": ({"count": 2, "contains": "tea"}, ["tea", "10 min"], None, True),
}


@pytest.mark.parametrize(("raw", "actual", "before", "holds"), CASES.values(), ids=CASES.keys())
def test_matcher(raw: object, actual: object, before: object, holds: bool) -> None:
    assert compile_matcher(raw).holds(actual, before) is holds


def test_the_description_names_the_keys() -> None:
    describe = compile_matcher({"up": True, "max": 28}).describe
    assert "up" in describe and "max" in describe and "28" in describe


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [(None, None, True), (None, 0, False), (0, None, False), ("", None, False)],
    ids=["none-none", "none-zero", "zero-none", "empty-none"],
)
def test_equal_with_missing_values(a: object, b: object, same: bool) -> None:
    assert equal(a, b) is same


BAD = {
    "unknown-key": {"above": 3},
    "empty": {},
    "min-text": {"min": "low"},
    "max-bool": {"max": True},
    "up-false": {"up": False},
    "down-number": {"down": 1},
    "in-not-list": {"in": "OFF"},
    "contains-number": {"contains": 3},
    "match-number": {"match": 3},
    "match-bad-regex": {"match": "(unclosed"},
    "count-negative": {"count": -1},
    "count-fraction": {"count": 1.5},
    "count-bool": {"count": True},
    "not-bad-inner": {"not": {"above": 3}},
    "unknown-beside-known": {"min": 1, "maxx": 3},
}


@pytest.mark.parametrize("raw", BAD.values(), ids=BAD.keys())
def test_bad_matchers_raise_value_error(raw: object) -> None:
    with pytest.raises(ValueError):
        compile_matcher(raw)
