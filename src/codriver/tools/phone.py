"""Phone tools: call a contact or a number, hang up.

A name is looked up in the phone book (``ctx.services.phone``): a known contact is called under
the name as said in its language, an unknown one is not called, and two equally good matches
are asked about. Without a phone provider the call is recorded as said.
"""

from __future__ import annotations

from codriver.safety.action import Write
from codriver.services.phone import Contact, PhoneProvider, dialable
from codriver.text import Bilingual, PhraseBook, detect_lang
from codriver.tools.base import Choice, Effect, ToolContext, Toolset, tool
from codriver.tools.zones import PHRASES

CALL = "Cockpit.Phone.Call"

PHONE_PHRASES = PhraseBook.load("codriver.services.phone", "data/phrases.yaml")


@tool("phone")
def call_contact(ctx: ToolContext, contact: str) -> Effect:
    """Call someone.

    Args:
        contact: the contact's name as said, or a phone number.
    """
    said = contact.strip()
    phone: PhoneProvider | None = getattr(ctx.services, "phone", None)
    if phone is None:
        return Effect.set({CALL: said}, PHRASES.get("phone.call", contact=said))
    found = phone.find(said)
    number = dialable(said)
    if number is not None and len(found) != 1:
        return _dial(phone, said, number, None)
    if not found:
        return Effect(failed=PHONE_PHRASES.get("phone.unknown", contact=said))
    if len(found) > 1:
        return _which(found)
    known = found[0]
    lang = ctx.lang if number is not None else detect_lang(said)
    return _dial(phone, known.name.in_(lang), known.number, known)


@tool("phone")
def hang_up(ctx: ToolContext) -> Effect:
    """End the current call."""
    if not ctx.state.get(CALL):
        return Effect(answer=PHRASES.get("phone.no_call"))
    phone: PhoneProvider | None = getattr(ctx.services, "phone", None)
    after = None if phone is None else phone.hang_up
    return Effect((Write(CALL, ""),), done=PHRASES.get("phone.hang_up"), after=after)


def _dial(phone: PhoneProvider, name: str, number: str, contact: Contact | None) -> Effect:
    done = PHRASES.get("phone.call", contact=name)
    return Effect((Write(CALL, name),), done=done, after=lambda: phone.dial(number, contact))


def _which(found: tuple[Contact, ...]) -> Effect:
    """Ask which of several contacts; answering with a name (or its position) calls them."""
    or_ = PHONE_PHRASES.get("phone.or")
    options = Bilingual(
        or_.en.join(c.name.en for c in found), or_.zh.join(c.name.zh for c in found)
    )
    choices = tuple(Choice(c.name, "call_contact", {"contact": c.number}) for c in found)
    return Effect(answer=PHONE_PHRASES.get("phone.which", options=options), choices=choices)


@tool("phone")
def set_phone_projection(ctx: ToolContext, on: bool) -> Effect:
    """Show the phone on the car's screen (CarPlay, CarLife, Android Auto), or stop.

    Args:
        on: true to start projecting, false to stop.
    """
    path = "Vehicle.Cabin.Infotainment.SmartphoneProjection.Active"
    if ctx.state.get(path) == "NONE":
        return Effect(failed=PHRASES.get("phone.no_projection"))
    key = "phone.projection_on" if on else "phone.projection_off"
    return Effect.set({path: "ACTIVE" if on else "INACTIVE"}, PHRASES.get(key))


PHONE_TOOLS = Toolset("phone", (call_contact, hang_up, set_phone_projection))
