"""Temporary access never becomes lasting access: every way of giving someone a lasting
relationship to a record goes through access.operations.check_grantor, which refuses a
grantor whose standing with the person is break-glass (or nothing), and audits the rest."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.access.operations import GRANTS
from caremap.audit.models import AuditEvent
from caremap.careteam import operations as careteam
from caremap.careteam.models import CareTeamMember
from caremap.core.errors import ForbiddenError
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.people.operations import merge_people
from caremap.referrals import operations as referrals
from caremap.safeguarding import operations as safeguarding
from tests import factories
from tests.factories import (
    make_break_glass,
    make_person,
    make_referral,
    make_token,
    make_user,
    referral_body,
    staff,
    worker_for,
)


def _hub_worker():
    return make_user(role="key_worker", team="complex-needs-hub")


def _accept_a_referral_to_own_service(grantor, person):
    """A referral someone else made (reablement's, redirected to the grantor's service if
    that is another), accepted by the grantor."""
    referral = make_referral(person, actor=staff("practitioner"))
    if referral.service_id != grantor.team.service_id:
        referral = referrals.redirect_referral(
            actor=worker_for(referral.service),
            referral=referral,
            version=referral.version,
            reason="Theirs",
            service_code=grantor.team.service.code,
        )
    return referrals.accept_referral(actor=grantor, referral=referral, version=referral.version)


# grant → how to attempt it as `grantor` for `person`, giving it to `worker`
ATTEMPTS = {
    "referral_acceptance": lambda grantor, person, worker: _accept_a_referral_to_own_service(
        grantor, person
    ),
    "care_team": lambda grantor, person, worker: careteam.add_member(
        actor=grantor, person=person, worker=worker, role="GP"
    ),
    "lead_key_worker": lambda grantor, person, worker: careteam.assign_lead_key_worker(
        actor=grantor, person=person, worker=worker
    ),
    # The grantor leads the enquiry (so only the gate can refuse them).
    "safeguarding_action_owner": lambda grantor, person, worker: safeguarding.add_action(
        actor=grantor,
        enquiry=factories.make_enquiry(factories.make_concern(person), lead=grantor),
        description="Visit with the district nurse",
        owner_id=worker.id,
        due_on=dt.date.today() + dt.timedelta(days=7),
    ),
}


def test_every_grant_is_attempted_here():
    assert set(ATTEMPTS) == set(GRANTS)


@pytest.mark.parametrize("grant", sorted(GRANTS))
@pytest.mark.parametrize("to_self", [True, False], ids=["to themselves", "to a colleague"])
def test_break_glass_gives_no_one_lasting_access(app, ctx, grant, to_self):
    person = make_person(actor=staff("practitioner"))
    emergency = make_user(role="key_worker", team="reablement-plymouth")
    make_break_glass(person, emergency)
    worker = emergency if to_self else _hub_worker()
    with pytest.raises(ForbiddenError, match="Emergency access") as refused:
        ATTEMPTS[grant](emergency, person, worker)
    assert refused.value.field == "user_id"
    members = sa.select(sa.func.count()).where(CareTeamMember.person_id == person.id)
    assert db.session.scalar(members) == 0


def test_break_glass_cannot_merge_a_record_into_another(app, api, ctx):
    """Merging moves a record, and the relationships on its rows, into another: under
    break-glass on both records a worker still may not merge them (operation, API, page),
    so an emergency cannot be turned into a standing relationship this way either."""
    survivor = make_person(actor=staff("key_worker"))
    duplicate = make_person(actor=staff("key_worker"))
    emergency = make_user(role="key_worker", team="reablement-plymouth")
    for person in (survivor, duplicate):
        make_break_glass(person, emergency)
    with pytest.raises(ForbiddenError, match="Only an admin may merge"):
        merge_people(actor=emergency, survivor=survivor, duplicate=duplicate, reason="Same")
    db.session.commit()
    me = api("practitioner")
    for person in (survivor, duplicate):
        opened = me.post(f"/people/{person.id}/break-glass", json={"reason": "Unconscious in ED"})
        assert opened.status_code == 201
    merged = me.post(
        f"/people/{survivor.id}/merge", json={"duplicate_id": duplicate.id, "reason": "Same"}
    )
    assert merged.status_code == 403
    assert "Only an admin may merge" in merged.json["errors"]["json"]["duplicate_id"][0]
    db.session.expire_all()
    assert db.session.get(Person, duplicate.id).status.value == "live"


@pytest.mark.parametrize("grant", sorted(GRANTS))
def test_a_grant_from_real_standing_is_audited_with_it(app, ctx, grant):
    registrar = staff("key_worker")  # the hub registered the person: standing "registered"
    person = make_person(actor=registrar)
    ATTEMPTS[grant](registrar, person, _hub_worker())
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.person_id == person.id, AuditEvent.action == "access.grant")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.changes["grant"] == grant and event.changes["standing"] == "registered"


def test_break_glass_then_join_the_team_then_expiry_leaves_nothing(app, api, ctx):
    """The escalation a pentest walked: break glass, add yourself to the care team, and
    read on after the emergency access has expired."""
    person = make_person(actor=staff("key_worker"))
    db.session.commit()
    me = api("practitioner")
    assert me.get(f"/people/{person.id}/chronology").status_code == 404
    opened = me.post(f"/people/{person.id}/break-glass", json={"reason": "Unconscious in ED"})
    assert opened.status_code == 201
    assert me.get(f"/people/{person.id}/chronology").status_code == 200
    practitioner = staff("practitioner")
    joined = me.post(
        f"/people/{person.id}/care-team/members", json={"user_id": practitioner.id, "role": "ED"}
    )
    assert joined.status_code in (403, 404), joined.get_data(as_text=True)
    db.session.execute(
        sa.update(BreakGlass)
        .where(BreakGlass.person_id == person.id)
        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    )
    db.session.commit()
    assert me.get(f"/people/{person.id}/chronology").status_code == 404


def test_break_glass_then_refer_to_own_service_then_accept_leaves_nothing(app, api):
    """The escalation through referrals: break glass, refer the person to your own service
    (refused); refer as a colleague instead, read before acceptance (identity only), accept
    it yourself (refused: you made it); a colleague accepts, and then the service sees all.
    (Each request in its own app context: two users take turns.)"""
    with app.app_context():
        person_id = make_person(actor=staff("key_worker"), date_of_birth="1941-05-02").id
        me_user = make_user(role="key_worker", team="reablement-plymouth")
        colleague = make_user(role="key_worker", team="reablement-plymouth")
        app.config["TEST_TOKENS"].update(me=make_token(me_user), colleague=make_token(colleague))
        db.session.commit()
    me, them = api("me"), api("colleague")
    opened = me.post(f"/people/{person_id}/break-glass", json={"reason": "Unconscious in ED"})
    assert opened.status_code == 201
    refused = me.post("/referrals", json=referral_body(person_id))
    assert refused.status_code == 403 and "own service" in refused.get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            sa.update(BreakGlass)
            .where(BreakGlass.person_id == person_id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
        db.session.commit()
    sent = me.post("/referrals", json=referral_body(person_id))
    assert sent.status_code == 201, sent.get_data(as_text=True)
    (referral,) = sent.json["referrals"]
    assert referral["service"] == "reablement"
    for reader in (me, them):  # before acceptance: the referral, not the record
        assert reader.get(f"/people/{person_id}/chronology").status_code == 404
        assert reader.get(f"/people/{person_id}/story").status_code == 404
    seen = them.get(f"/referrals/{referral['id']}")
    assert seen.status_code == 200 and seen.json["needs"] == ["hospital_discharge"]
    mine = me.post(f"/referrals/{referral['id']}/accept", json={"version": referral["version"]})
    assert mine.status_code == 403 and "You made this referral" in mine.get_data(as_text=True)
    taken = them.post(f"/referrals/{referral['id']}/accept", json={"version": referral["version"]})
    assert taken.status_code == 200, taken.get_data(as_text=True)
    assert me.get(f"/people/{person_id}/story").status_code == 200
    listed = api("admin").get("/admin/self-routed-acceptances").json
    assert referral["id"] in [row["referral_id"] for row in listed]
    for role in ("me", "colleague"):
        app.config["TEST_TOKENS"].pop(role)
