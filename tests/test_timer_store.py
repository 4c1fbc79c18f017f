"""The timer store: pausing, resuming, adding and taking off time, named and bulk cancelling, and
reading what is left — with `Cockpit.Timers` and the duplicate check kept right throughout."""

from __future__ import annotations

import asyncio

from codriver.assistant.cockpit import CockpitState
from codriver.automation import Automations
from codriver.vehicle.clock import SimClock


def store() -> Automations:
    clock = SimClock(start=1000.0)
    return Automations(clock, CockpitState(clock.now))


def advance(timers: Automations, seconds: float) -> list[str]:
    """Let ``seconds`` pass; what was announced (English)."""
    asyncio.run(timers.clock.advance(seconds))
    return [f.say.en for f in timers.drain() if f.say is not None]


def listed(timers: Automations) -> object:
    return timers.cockpit.value("Cockpit.Timers")


def test_a_paused_timer_keeps_its_time_and_does_not_fire() -> None:
    timers = store()
    item = timers.add_later("timer", "pizza", 300, label="pizza")
    assert item is not None
    advance(timers, 100)
    paused = timers.pause(item.id)
    assert paused is not None and paused.paused and paused.left == 200
    assert advance(timers, 1000) == []  # long past its old due time
    assert listed(timers) == ["pizza"]
    [view] = timers.timers()
    assert (view.left, view.paused) == (200, True)


def test_resume_reschedules_from_now() -> None:
    timers = store()
    item = timers.add_later("timer", "tea", 120)
    assert item is not None
    advance(timers, 20)
    timers.pause(item.id)
    advance(timers, 500)
    resumed = timers.resume(item.id)
    assert resumed is not None and not resumed.paused and resumed.left == 100
    assert advance(timers, 99) == []
    assert advance(timers, 2) == ["Time's up: tea timer"]
    assert listed(timers) == []


def test_pausing_twice_or_resuming_a_running_timer_changes_nothing() -> None:
    timers = store()
    item = timers.add_later("timer", "tea", 120)
    assert item is not None
    assert timers.resume(item.id) is None
    assert timers.pause(item.id) is not None
    assert timers.pause(item.id) is None
    assert timers.pause(999) is None


def test_adding_time_moves_the_due_time_later() -> None:
    timers = store()
    item = timers.add_later("timer", "pasta", 60)
    assert item is not None
    moved = timers.adjust(item.id, 120)
    assert moved is not None and moved.left == 180
    assert advance(timers, 170) == []
    assert advance(timers, 20) == ["Time's up: pasta timer"]


def test_taking_off_time_moves_it_earlier() -> None:
    timers = store()
    item = timers.add_later("timer", "pasta", 600)
    assert item is not None
    timers.adjust(item.id, -300)
    assert advance(timers, 301) == ["Time's up: pasta timer"]


def test_taking_off_more_than_is_left_makes_it_come_due_now() -> None:
    timers = store()
    item = timers.add_later("timer", "eggs", 120)
    assert item is not None
    done = timers.adjust(item.id, -600)
    assert done is not None and done.left == 0
    assert listed(timers) == []  # no longer pending, straight away
    assert advance(timers, 0) == ["Time's up: eggs timer"]
    assert advance(timers, 1000) == []  # once


def test_a_paused_timer_takes_time_changes_and_stays_paused() -> None:
    timers = store()
    item = timers.add_later("timer", "bread", 600)
    assert item is not None
    timers.pause(item.id)
    changed = timers.adjust(item.id, 60)
    assert changed is not None and changed.paused and changed.left == 660
    assert advance(timers, 5000) == []


def test_the_duplicate_check_follows_a_rescheduled_timer() -> None:
    timers = store()
    item = timers.add_later("timer", "tea", 300)
    assert item is not None
    assert timers.same_later("timer", "tea", 300)
    timers.adjust(item.id, 60)
    assert not timers.same_later("timer", "tea", 300)  # it is due later now
    assert timers.same_later("timer", "tea", 360)
    timers.pause(item.id)
    assert not timers.same_later("timer", "tea", 360)  # paused: due at no time
    timers.resume(item.id)
    assert timers.same_later("timer", "tea", 360)


def test_two_timers_moved_onto_one_second_keep_each_other_s_key() -> None:
    timers = store()
    first = timers.add_later("timer", "tea", 300)
    second = timers.add_later("timer", "tea", 240)
    assert first is not None and second is not None
    timers.adjust(second.id, 60)  # now both due at the same second
    timers.cancel("timer", label="tea")  # the newest of them goes
    assert timers.same_later("timer", "tea", 300)  # the other one is still there


def test_named_cancel_takes_only_the_timer_it_names() -> None:
    timers = store()
    timers.add_later("timer", "pizza", 300, label="pizza")
    timers.add_later("timer", "pasta", 480, label="pasta")
    assert timers.cancel("timer", label="Pizza") == "pizza"
    assert listed(timers) == ["pasta"]
    assert timers.cancel("timer", label="soup") is None
    assert listed(timers) == ["pasta"]


def test_cancel_every_timer_leaves_reminders_alone() -> None:
    timers = store()
    timers.add_later("timer", "pizza", 300)
    timers.add_later("timer", "5 min", 300)
    timers.add_later("reminder", "call Mum", 300)
    assert sorted(timers.cancel_every("timer")) == ["5 min", "pizza"]
    assert listed(timers) == []
    assert timers.cockpit.value("Cockpit.Reminders") == ["call Mum"]
    assert advance(timers, 400) == ["Reminder: call Mum"]


def test_the_timers_read_with_what_is_left_oldest_first() -> None:
    timers = store()
    first = timers.add_later("timer", "pizza", 300, label="pizza")
    timers.add_later("timer", "10 min", 600)
    assert first is not None
    advance(timers, 30)
    timers.pause(first.id)
    views = timers.timers()
    assert [(v.text, v.label, v.length, v.left, v.paused) for v in views] == [
        ("pizza", "pizza", 300, 270, True),
        ("10 min", None, 600, 570, False),
    ]
    assert [v.text for v in timers.timers("pizza")] == ["pizza"]
    assert timers.timers("soup") == []
