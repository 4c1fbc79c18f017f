"""Phone: the port (:class:`PhoneProvider`) and an offline provider over a profile's contacts
(names and aliases in both languages) that keeps the call state."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from codriver.services.media.names import NameIndex
from codriver.text import Bilingual
from codriver.yamlfile import load_yaml

# Words around a name in "call my dad", "给王经理的电话" that are not part of it.
_FILLER = ("my", "the", "please", "for me", "我的", "给", "的电话", "的手机", "电话", "手机", "的")
_DIALABLE = re.compile(r"^\+?[\d\s\-().]+$")


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone in the phone book: how to say them in each language, and their number."""

    name: Bilingual
    number: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Call:
    """The call being placed or held: the number, and whose it is when known."""

    number: str
    contact: Contact | None = None


def dialable(said: str) -> str | None:
    """The digits of ``said`` when it is a phone number ("138 0013 8000", "+1 202-555-0101")."""
    if not _DIALABLE.match(said.strip()):
        return None
    digits = re.sub(r"[^\d+]", "", said)
    return digits if sum(c.isdigit() for c in digits) >= 3 else None


class PhoneProvider(Protocol):
    """The occupant's phone: its contacts, placing and ending calls."""

    def find(self, said: str) -> tuple[Contact, ...]:
        """Contacts ``said`` names, a name or a number: none, one, or several equally good."""
        ...

    def dial(self, number: str, contact: Contact | None = None) -> None: ...

    def hang_up(self) -> None: ...


class OfflinePhone:
    """Contacts from a profile; calls are only recorded (``call``), nothing rings."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.contacts = tuple(contacts)
        self._index: NameIndex[Contact] = NameIndex(_FILLER, first_names=True)
        for contact in self.contacts:
            self._index.add(contact, contact.name.en, contact.name.zh, *contact.aliases)
        self.call: Call | None = None

    @classmethod
    def load(cls, text: str, where: str = "contacts") -> OfflinePhone:
        raw = load_yaml(text) or {}
        items = enumerate(raw.get("contacts", []), 1)
        return cls(_contact(item, f"{where}: contact {i}") for i, item in items)

    def find(self, said: str) -> tuple[Contact, ...]:
        number = dialable(said)
        if number is not None:
            return tuple(c for c in self.contacts if dialable(c.number) == number)
        hits = self._index.find(said)
        if not hits:
            return ()
        best = hits[0].score
        return tuple(h.item for h in hits if h.score == best)

    def dial(self, number: str, contact: Contact | None = None) -> None:
        self.call = Call(number, contact)

    def hang_up(self) -> None:
        self.call = None


def _contact(raw: Mapping[str, Any], where: str) -> Contact:
    name = Bilingual.from_mapping(raw.get("name", {}), where)
    number = str(raw.get("number", ""))
    if dialable(number) is None:
        raise ValueError(f"{where} ({name.en}): {number!r} is no phone number")
    return Contact(name, number, tuple(str(a) for a in raw.get("aliases", [])))


def offline_phone() -> OfflinePhone:
    """The provider over the sample profile's contacts shipped with codriver (its own calls)."""
    return OfflinePhone(_packaged_contacts())


@cache
def _packaged_contacts() -> tuple[Contact, ...]:
    text = resources.files(__package__).joinpath("data/contacts.yaml").read_text("utf-8")
    return OfflinePhone.load(text, "phone/data/contacts.yaml").contacts


__all__ = ["Call", "Contact", "OfflinePhone", "PhoneProvider", "dialable", "offline_phone"]
