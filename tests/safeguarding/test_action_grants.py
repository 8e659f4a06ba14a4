"""Giving an enquiry's action gives its owner a lasting relationship to the person (their
task opens the record), so it is a grant through access.operations.check_grantor:
running the enquiry is a safeguarding lead's standing, emergency access is nobody's."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.access.policy import decide
from caremap.audit.models import AuditEvent
from caremap.core.errors import ForbiddenError
from caremap.core.extensions import db
from caremap.safeguarding.models import EnquiryAction
from caremap.safeguarding.operations import add_action
from caremap.worktasks.models import Task
from tests.factories import (
    make_break_glass,
    make_concern,
    make_enquiry,
    make_person,
    make_user,
    staff,
)

DUE = dt.date.today() + dt.timedelta(days=7)


def _give(lead, enquiry, owner):
    return add_action(
        actor=lead,
        enquiry=enquiry,
        description="Visit with the nurse",
        owner_id=owner.id,
        due_on=DUE,
    )


def test_a_lead_with_no_care_relationship_gives_an_action_by_running_the_enquiry(app, ctx):
    person = make_person(actor=staff("key_worker"))
    lead = staff("safeguarding_lead")
    assert decide(lead, person).because == "none"
    enquiry = make_enquiry(make_concern(person), lead=lead)
    owner = make_user(role="key_worker", team="reablement-plymouth")
    assert decide(owner, person).because == "none"
    action = _give(lead, enquiry, owner)
    assert decide(owner, person).because == "assigned_task", "the grant is lasting"
    grant = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.person_id == person.id, AuditEvent.action == "access.grant"
        )
    ).one()
    assert grant.actor_id == lead.id
    assert grant.changes == {
        "grant": "safeguarding_action_owner",
        "to_user_id": owner.id,
        "standing": "runs_enquiry",
    }
    assert action.owner_id == owner.id


@pytest.mark.parametrize("to_self", [True, False], ids=["to themselves", "to a colleague"])
def test_a_lead_whose_standing_is_break_glass_gives_no_action(app, ctx, to_self):
    person = make_person(actor=staff("key_worker"))
    lead = staff("safeguarding_lead")
    make_break_glass(person, lead)
    assert decide(lead, person).because == "break_glass"
    enquiry = make_enquiry(make_concern(person), lead=lead)
    owner = lead if to_self else make_user(role="key_worker", team="reablement-plymouth")
    with pytest.raises(ForbiddenError, match="Emergency access") as refused:
        _give(lead, enquiry, owner)
    assert refused.value.field == "user_id"
    actions = sa.select(sa.func.count()).where(EnquiryAction.enquiry_id == enquiry.id)
    assert db.session.scalar(actions) == 0
    tasks = sa.select(sa.func.count()).where(Task.person_id == person.id)
    assert db.session.scalar(tasks) == 0
    if not to_self:
        assert decide(owner, person).because == "none"
