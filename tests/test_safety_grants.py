"""The gate's check on who is behind an action: an outside agent (a remote MCP client, directly or
through a rule it made) acts only within its grants and never on a yes only an occupant gives;
an occupant's actions are not limited by grants; a tool's own question is asked by the gate."""

from __future__ import annotations

import pytest

from codriver.safety import ProposedAction, SafetyPolicy, Write
from codriver.safety.grants import GRANTS, domain_grants
from codriver.text import Bilingual
from codriver.tools import default_toolbox
from codriver.vehicle import SimulatedCar, VehicleProfile

PARKED = SimulatedCar().values()
TEMPERATURE = Write("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", 24.0)
QUESTION = Bilingual(
    "When it rains, call 10086 — set this rule?", "下雨时拨打10086——要设置这条规则吗？"
)


@pytest.fixture(scope="module")
def policy(profile: VehicleProfile) -> SafetyPolicy:
    return SafetyPolicy(profile.catalog)


def test_every_built_in_tool_domain_needs_a_known_grant() -> None:
    table = domain_grants()
    assert set(table.values()) <= set(GRANTS)
    assert {tool.domain for tool in default_toolbox()} <= set(table)
    assert "apps" not in table


@pytest.mark.parametrize(
    ("grants", "decision", "rule"),
    [
        (frozenset({"read", "cabin"}), "allow", None),
        (frozenset({"read", "media"}), "refuse", "not-granted"),
        (frozenset(), "refuse", "not-granted"),
        (None, "allow", None),
    ],
    ids=["granted", "other-grant", "no-grants", "occupant"],
)
def test_an_outside_agent_acts_only_within_its_grants(
    policy: SafetyPolicy, grants: frozenset[str] | None, decision: str, rule: str | None
) -> None:
    action = ProposedAction(
        "set_temperature", writes=(TEMPERATURE,), source="remote", domain="climate", grants=grants
    )
    verdict = policy.check(action, PARKED)
    assert (verdict.decision, verdict.rule) == (decision, rule)
    if rule is not None:
        assert verdict.reason is not None
        assert "set_temperature" in verdict.reason.en and "cabin" in verdict.reason.zh


def test_a_third_party_tool_is_never_granted_to_an_outside_agent(policy: SafetyPolicy) -> None:
    everything = frozenset(GRANTS)
    action = ProposedAction("coffee.order", source="plugin", domain="apps", grants=everything)
    assert policy.check(action, PARKED).rule == "not-granted"


def test_the_grants_hold_for_a_rule_an_outside_agent_made(policy: SafetyPolicy) -> None:
    fired = ProposedAction(
        "call_contact",
        writes=(Write("Cockpit.Phone.Call", "10086"),),
        source="remote",
        domain="phone",
        grants=frozenset({"cabin"}),
        automation="when it rains, call 10086",
    )
    assert policy.check(fired, PARKED).rule == "not-granted"


@pytest.mark.parametrize(
    ("grants", "confirmed", "decision", "rule"),
    [
        (None, False, "confirm", "confirm-asked-by-tool"),
        (None, True, "allow", None),
        (frozenset({"cabin"}), False, "refuse", "occupant-only"),
    ],
    ids=["occupant-asked", "occupant-said-yes", "outside-agent"],
)
def test_a_tools_own_question_is_for_an_occupant(
    policy: SafetyPolicy,
    grants: frozenset[str] | None,
    confirmed: bool,
    decision: str,
    rule: str | None,
) -> None:
    action = ProposedAction(
        "create_rule", domain="automation", grants=grants, question=QUESTION, confirmed=confirmed
    )
    verdict = policy.check(action, PARKED)
    assert (verdict.decision, verdict.rule) == (decision, rule)
    if decision != "allow":
        assert verdict.reason is not None
        assert "10086" in verdict.reason.en and "10086" in verdict.reason.zh
