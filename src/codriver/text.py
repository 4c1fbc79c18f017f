"""Languages and bilingual text: every reply exists in English and in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One message in both languages."""

    en: str
    zh: str

    def in_(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, **params: object) -> Bilingual:
        return Bilingual(self.en.format(**params), self.zh.format(**params))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, str], where: str = "") -> Bilingual:
        try:
            return cls(en=str(raw["en"]), zh=str(raw["zh"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: text needs both 'en' and 'zh'") from exc


def detect_lang(text: str) -> Lang:
    """Chinese when the text holds any CJK ideograph, else English (code-mixed counts as zh)."""
    return (
        "zh"
        if any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)
        else "en"
    )


class PhraseBook:
    """Reply templates by key, in both languages, loaded from a YAML data file.

    Parameters may themselves be :class:`Bilingual` (a zone name), formatted per language.
    """

    def __init__(self, phrases: Mapping[str, Bilingual]) -> None:
        self._phrases = dict(phrases)

    @classmethod
    def load(cls, package: str, resource: str) -> PhraseBook:
        from codriver.yamlfile import read_yaml

        raw = read_yaml(package, resource)
        return cls({key: Bilingual.from_mapping(v, f"{resource}: {key}") for key, v in raw.items()})

    def __contains__(self, key: object) -> bool:
        return key in self._phrases

    def get(self, key: str, **params: object) -> Bilingual:
        template = self._phrases[key]
        en = {k: v.en if isinstance(v, Bilingual) else _plain(v) for k, v in params.items()}
        zh = {k: v.zh if isinstance(v, Bilingual) else _plain(v) for k, v in params.items()}
        return Bilingual(template.en.format(**en), template.zh.format(**zh))


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
