"""Where a Chinese name ends: the free text after 播放, 导航到 or 打电话给.

Chinese writes no spaces, so the lexicon finds its command words inside names too ("我们都一样"
holds 我 and 都, "三和大酒店" holds 和, "刘若英后来" holds 来, "解放碑" holds 放). A name therefore
runs on to the end of its clause and stops only where a new request plainly begins: a clause
break, a connector other than the ones names hold (和, 跟), the same request verb again ("播放X请
播放Y"), a request word of two characters or more ("…需不需要充电"), a topic asked about ("…还剩
多少电"), or a verb next to a device ("导航去外滩开空调", "…空调打开").
"""

from __future__ import annotations

import re

from codriver.understanding.lexicon import QueryWords, Token

_CJK_START = ("\u3400", "\u9fff")
TRANSPORT = frozenset(("next", "previous", "pause", "resume"))
"""What to do with what is playing: after a play verb it is the request ("播放下一首")."""


def starts_chinese(text: str) -> bool:
    """Whether ``text`` starts (after spaces) with a Chinese character."""
    stripped = text.lstrip()
    return bool(stripped) and _CJK_START[0] <= stripped[0] <= _CJK_START[1]


def name_end(tokens: list[Token], i: int, slot: str, joins: frozenset[str]) -> int:
    """The index of the first token after the Chinese name that starts at ``tokens[i]``."""
    if i < len(tokens) and set(tokens[i].ids("action")) & TRANSPORT:
        return i  # "播放下一首": what to do with the music, no name
    j = i
    while j < len(tokens) and not _breaks(tokens, j, i, slot, joins):
        j += 1
    return j


def only_a_place_kind(tokens: list[Token]) -> bool:
    """Whether the name's words are just a kind of place ("医院", "最近的加油站"): the nearest
    one is meant, not a place called that ("广济医院" is a name)."""
    words = [t for t in tokens if not _wrapping(t)]
    return len(words) == 1 and any(d.startswith("place_") for d in words[0].ids("device"))


def _breaks(tokens: list[Token], j: int, first: int, slot: str, joins: frozenset[str]) -> bool:
    token = tokens[j]
    if token.kind == "sep":
        return True  # punctuation, a pause between two Chinese words
    if token.has("sep"):
        if token.text in joins:
            return False  # "三和大酒店"
        return len(token.text) > 1 or _requests_after(tokens, j)  # 然后, 顺便; 再 — "再回首"
    if token.has("dialogue", "round_trip"):
        return True
    if j > first and slot in token.ids("action"):
        return True  # the same request again: "请播放贝瓦儿歌请播放强军战歌"
    inside = j > first  # a name may begin with a request word: "我要听开门见山"
    if inside and tokens[j - 1].text.endswith("的"):
        return False  # a verb after 的 is part of the name: "前小白的关灯与神"
    if inside and token.ids("action") and len(token.text) >= 2:
        return True  # a request word of its own: "…需不需要先充电", "…打开"
    if inside and any(d.startswith("topic_") for d in token.ids("device")):
        return True  # what the question is about: "…的话还剩多少电"
    after = _next_word(tokens, j)
    if token.ids("action") and after is not None and after.ids("device"):
        return True  # "…打开空调", "…放首歌"
    if _names_device(token) and after is not None and after.ids("action"):
        return True  # "…空调打开一下"
    return bool(token.text == "把" and after is not None and after.ids("device"))


def _requests_after(tokens: list[Token], j: int) -> bool:
    """Whether a request begins after the one-character connector at ``j`` ("…再打开空调", "…再来
    一首"), rather than the name going on ("再回首", "东山再起")."""
    after = _next_word(tokens, j)
    if after is None:
        return False
    if after.ids("device") or (after.ids("action") and len(after.text) >= 2):
        return True
    later = _next_word(tokens, tokens.index(after))
    return bool(after.ids("action") and later is not None and later.ids("device"))


def _names_device(token: Token) -> bool:
    """A device named in two characters or more (a single 风 or 灯 is often part of a name)."""
    return bool(token.ids("device")) and len(token.text) >= 2


def _next_word(tokens: list[Token], j: int) -> Token | None:
    """The next token after ``j`` that is more than a wrapping word ("首", "一下", "吧")."""
    for token in tokens[j + 1 :]:
        if token.kind == "sep":
            return None
        if not _wrapping(token):
            return token
    return None


def _wrapping(token: Token) -> bool:
    if token.kind != "tags":
        return False
    if token.ids("device"):
        return False
    return all(t.kind in ("stop", "filler", "deictic") for t in token.tags)


_SPACING = re.compile(r"[\s\-]+")
MIN_DIGITS = 3
"""The fewest digits a phone number has (110, 10086, 13900003161)."""


def dialled(text: str, words: QueryWords) -> str | None:
    """The phone number ``text`` starts with or is, read digit by digit as it is said ("幺零零八六"
    → 10086, "13900003161拍照" → 13900003161); None when it holds no number."""
    digits = []
    for char in _SPACING.sub("", text):
        digit = char if char.isascii() and char.isdigit() else words.digits.get(char)
        if digit is None:
            break
        digits.append(digit)
    return "".join(digits) if len(digits) >= MIN_DIGITS else None


_NAMED = ("call", "navigate", "add_stop", "trip")
"""The requests whose free text must read as a name: a contact or a place."""


def plausible(name: str, slot: str, words: QueryWords) -> bool:
    """Whether ``name`` can be the contact or place a call or a route asks for: not a clause
    ("打电话都不接" says nobody answers, "回家就可以不用打了" is no place), not a lone character
    left over from a word the lexicon split ("回复" → 复), unless it is one of the few places
    said in one ("家")."""
    if slot == "call" and not starts_chinese(name):
        first = name.split()[0].lower() if name.split() else ""
        return first not in words.not_contact_start  # "they call me Mother Nature"
    if slot not in _NAMED or not starts_chinese(name):
        return True
    if len(name) == 1 and slot != "call":
        return name in words.single
    if any(word in name for word in words.clause_words):
        return False  # "农村路太滑"
    if slot == "call" and name.startswith(words.not_contact_start):
        return False  # "打电话能两个小时": a clause after the verb
    return not any(char in words.clause_chars for char in name)
