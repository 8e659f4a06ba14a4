"""Routing rule operations called directly (no HTTP): saving adds a version, the rules in
force change where referrals go, names that do not exist are refused naming the field,
and every saved version is audited."""

import marshmallow as ma
import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.routing import operations as routing
from caremap.routing.models import RoutingRule
from caremap.routing.schemas import RoutingRuleArgs
from tests.factories import (
    OLDER_PERSON_BORN,
    audit_actions,
    last_audit_id,
    make_person,
    make_referrals,
    refused,
    staff,
)

pytestmark = pytest.mark.usefixtures("ctx")


def rule(**overrides):
    """A rule as the admin page and seed/routing_rules.json give it (loaded and checked)."""

    data = {
        "code": "test_smokers_to_social_prescribing",
        "name": "Smokers also get social prescribing",
        "priority": 5,
        "conditions": {"needs_any": ["smoking"]},
        "targets": ["social_prescribing"],
        **overrides,
    }
    return RoutingRuleArgs().load(data)


def versions(code):
    return list(
        db.session.scalars(
            sa.select(RoutingRule).where(RoutingRule.code == code).order_by(RoutingRule.version)
        )
    )


def test_saving_a_new_rule_makes_version_one_in_force_and_audits_it():
    before = last_audit_id()
    saved = routing.save_rule(actor=staff("admin"), rule=rule())
    assert (saved.code, saved.version, saved.is_current) == (
        "test_smokers_to_social_prescribing",
        1,
        True,
    )
    assert saved.code in [r.code for r in routing.rules_in_force()]
    assert audit_actions(since=before) == ["routing.rule_saved"]


def test_saving_it_unchanged_adds_nothing():
    admin = staff("admin")
    first = routing.save_rule(actor=admin, rule=rule())
    before = last_audit_id()
    again = routing.save_rule(actor=admin, rule=rule())
    assert again.id == first.id and len(versions(first.code)) == 1
    assert last_audit_id() == before


def test_a_changed_rule_is_a_new_version_and_the_old_one_stays_for_the_record():
    admin = staff("admin")
    routing.save_rule(actor=admin, rule=rule())
    second = routing.save_rule(actor=admin, rule=rule(priority=6))
    first, latest = versions(second.code)
    assert (first.version, first.is_current) == (1, False)
    assert (latest.id, latest.version, latest.is_current, latest.priority) == (
        second.id,
        2,
        True,
        6,
    )
    in_force = [r for r in routing.rules_in_force() if r.code == second.code]
    assert [(r.version, r.priority) for r in in_force] == [(2, 6)]


def test_the_rules_in_force_decide_where_a_referral_goes():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    assert [r.service.code for r in make_referrals(person, needs=["smoking"])] == ["stop_smoking"]
    routing.save_rule(actor=staff("admin"), rule=rule())
    other = make_person(date_of_birth=OLDER_PERSON_BORN)
    assert sorted(r.service.code for r in make_referrals(other, needs=["smoking"])) == [
        "social_prescribing",
        "stop_smoking",
    ]


def test_an_inactive_rule_is_not_in_force():
    routing.save_rule(actor=staff("admin"), rule=rule(is_active=False))
    assert "test_smokers_to_social_prescribing" not in [r.code for r in routing.rules_in_force()]
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    assert [r.service.code for r in make_referrals(person, needs=["smoking"])] == ["stop_smoking"]


def test_the_rules_in_force_come_in_priority_order():
    priorities = [r.priority for r in routing.rules_in_force()]
    assert priorities and priorities == sorted(priorities)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"targets": ["no_such_service"]}, "targets"),
        ({"conditions": {"needs_any": ["no_such_need"]}}, "conditions"),
        (
            {"conditions": {"needs_any": ["smoking"], "open_service_any": ["no_such_service"]}},
            "conditions.open_service_any",
        ),
        (
            {"conditions": {"needs_any": ["smoking"], "no_open_service_any": ["nowhere"]}},
            "conditions.no_open_service_any",
        ),
        ({"actions": {"episode_kind": "holiday"}}, "actions.episode_kind"),
    ],
)
def test_names_that_do_not_exist_are_refused_naming_the_field(overrides, field):
    before = last_audit_id()
    with refused(field=field):
        routing.save_rule(actor=staff("admin"), rule=rule(**overrides))
    assert versions("test_smokers_to_social_prescribing") == []
    assert last_audit_id() == before


def test_a_rule_set_loads_through_the_schema():
    saved = routing.load_rule_set(
        {"source": "test", "rules": [rule(code="test_rule_set_one")]}, actor=staff("admin")
    )
    assert [r.code for r in saved] == ["test_rule_set_one"]
    with pytest.raises(ma.ValidationError) as caught:
        routing.load_rule_set({"rules": [{**rule(), "code": "Not A Code"}]})
    assert "rules" in caught.value.messages


def test_preview_shows_how_a_draft_would_have_treated_recent_referrals_and_saves_nothing():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    make_referrals(person, needs=["smoking"])
    count = db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule))
    before = last_audit_id()
    draft = {
        "code": "test_smokers_to_social_prescribing",
        "name": "Smokers also get social prescribing",
        "priority": 5,
        "conditions": {"needs_any": ["smoking"]},
        "targets": ["social_prescribing"],
    }
    preview = routing.preview_rule(draft)
    assert preview["checked"] >= 1 and preview["matched"] >= 1
    assert preview["targets"] == ["social_prescribing"]
    assert all("smoking" in example["facts"]["needs"] for example in preview["examples"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule)) == count
    assert last_audit_id() == before
    with refused(field="targets"):
        routing.preview_rule({**draft, "targets": ["no_such_service"]})
