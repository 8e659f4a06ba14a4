"""A referral is a request, not a key: the receiving service sees the referral (enough to
decide) and the record only once it accepts; its maker never accepts it; a referral made
and accepted within one service is listed for review; break-glass never refers the
person to one's own service; a preview tells no one without a relationship what the
person already has."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.access.policy import Access, decide
from caremap.audit.models import AuditEvent
from caremap.core import clock
from caremap.core.errors import ForbiddenError
from caremap.core.extensions import db
from caremap.people import operations as people
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.queries import self_routed_acceptances
from tests import factories
from tests.conftest import PASSWORD, text_of

STORY = "I keep the garden going"


@pytest.fixture
def routed(app):
    """A person with a story, registered by the hub, referred by a triage practitioner to
    reablement (routed, not yet accepted); two reablement workers."""
    with app.app_context():
        person = factories.make_person(
            actor=factories.staff("key_worker"), date_of_birth="1940-04-04"
        )
        people.add_story_version(
            actor=factories.staff("key_worker"), person=person, text=STORY, based_on_id=None
        )
        referral = factories.make_referral(
            person, actor=factories.staff("practitioner"), referrer_name="Dr Quill"
        )
        worker = factories.make_user(role="key_worker", team="reablement-plymouth")
        db.session.commit()
        return {
            "person_id": person.id,
            "referral_id": referral.id,
            "worker_email": worker.email,
            "version": referral.version,
        }


def test_making_a_referral_gives_the_referrers_team_nothing(app, ctx):
    person = factories.make_person(actor=factories.staff("key_worker"))
    referrer = factories.make_user(role="practitioner", team="nhs-111")
    colleague = factories.make_user(role="practitioner", team="nhs-111")
    factories.make_referral(person, actor=referrer)
    assert decide(referrer, person).because == "none"
    assert decide(colleague, person).access == Access.IDENTITY


def test_routing_alone_opens_nothing_accepting_opens_the_record(app, ctx):
    referral = factories.make_referral()
    worker = factories.worker_for(referral.service)
    assert decide(worker, referral.person).access == Access.IDENTITY  # a routed request
    factories.accept(referral, actor=worker)
    assert decide(worker, referral.person).because == "open_work"


def test_the_receiving_service_decides_on_the_referral_without_the_record(app, routed):
    client = app.test_client()
    signed = client.post("/sign-in", data={"email": routed["worker_email"], "password": PASSWORD})
    assert signed.status_code == 302
    page = client.get(f"/referrals/{routed['referral_id']}")
    body = text_of(page)
    assert page.status_code == 200
    assert "identity only" in body and "Dr Quill" in body and "Hospital discharge" in body
    assert "Why it came here" in body and "Answer the referral" in body
    assert "Accept the referral to see the person's record" in body
    assert "Recent chronology" not in body and "Open the whole record" not in body
    assert STORY not in body
    assert client.get(f"/people/{routed['person_id']}/story").status_code == 404
    accepted = client.post(
        f"/referrals/{routed['referral_id']}/accept", data={"version": routed["version"]}
    )
    assert accepted.status_code == 302, text_of(accepted)[:500]
    after = text_of(client.get(f"/referrals/{routed['referral_id']}"))
    assert "Recent chronology" in after and STORY in after and "identity only" not in after


def test_the_maker_of_a_referral_may_not_accept_it(app, ctx):
    maker = factories.make_user(role="key_worker", team="reablement-plymouth")
    referral = factories.make_referral(actor=maker)
    assert referral.service.code == "reablement"
    with factories.refused(ForbiddenError, field="referral"):
        factories.accept(referral, actor=maker)
    assert referral.status == ReferralStatus.ROUTED


def test_the_maker_is_refused_on_the_page_too_with_the_reason(app, login_as):
    with app.app_context():
        maker = factories.make_user(role="key_worker", team="reablement-plymouth")
        referral = factories.make_referral(actor=maker)
        db.session.commit()
        email, referral_id, version = maker.email, referral.id, referral.version
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": PASSWORD})
    refused = client.post(f"/referrals/{referral_id}/accept", data={"version": version})
    assert refused.status_code == 403
    assert "You made this referral, so you cannot accept it" in text_of(refused)


def test_an_acceptance_within_the_service_is_listed_for_review_and_audited(app, api):
    with app.app_context():
        maker = factories.make_user(role="key_worker", team="reablement-plymouth")
        referral = factories.make_referral(actor=maker)
        other = factories.make_referral()  # made by triage: not listed
        colleague = factories.make_user(role="key_worker", team="reablement-plymouth")
        factories.accept(referral, actor=colleague)
        factories.accept(other, actor=colleague)
        listed = [row.referral_id for row in self_routed_acceptances()]
        assert referral.id in listed and other.id not in listed
        db.session.commit()
        referral_id, person_id = referral.id, referral.person_id
    assert api("key_worker").get("/admin/self-routed-acceptances").status_code == 404
    rows = api("admin").get("/admin/self-routed-acceptances").json
    assert referral_id in [row["referral_id"] for row in rows]
    with app.app_context():
        read = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.action == "referrals.self_routed_review",
                AuditEvent.person_id == person_id,
            )
        )
    assert read >= 1


def test_admin_page_lists_self_routed_acceptances(app, login_as):
    with app.app_context():
        maker = factories.make_user(role="key_worker", team="reablement-plymouth")
        referral = factories.make_referral(actor=maker)
        factories.accept(referral, actor=factories.worker_for(referral.service))
        db.session.commit()
        reference = referral.reference
    admin = login_as("admin", with_client=app.test_client())
    page = admin.get("/admin/self-routed-acceptances")
    assert page.status_code == 200 and reference in text_of(page)
    worker = login_as("key_worker", with_client=app.test_client())
    assert worker.get("/admin/self-routed-acceptances").status_code == 404


def test_break_glass_may_not_refer_to_ones_own_service_but_may_elsewhere(app, ctx):
    person = factories.make_person(actor=factories.staff("key_worker"), date_of_birth="1940-01-01")
    emergency = factories.make_user(role="key_worker", team="reablement-plymouth")
    factories.make_break_glass(person, emergency)
    with factories.refused(ForbiddenError, field="needs"):
        factories.make_referral(person, actor=emergency)  # reablement: their own
    elsewhere = factories.make_user(role="practitioner", team="emergency-department")
    factories.make_break_glass(person, elsewhere)
    assert factories.make_referral(person, actor=elsewhere).service.code == "reablement"


def test_the_refer_page_preview_withholds_what_the_person_already_has(app, client, login_as):
    with app.app_context():
        person = factories.make_person(
            actor=factories.staff("key_worker"), date_of_birth="1941-02-11"
        )
        factories.make_referral(
            person, actor=factories.staff("key_worker"), needs=["personal_care"]
        )
        db.session.commit()
        person_id = person.id
    form = {
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_organisation": "Mayflower Surgery",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge"],
        "discharge_on": [str(clock.today().day), str(clock.today().month), str(clock.today().year)],
        "discharge_ward": "Ward 5",
        "details": "Home after a fall",
        "urgency": "urgent",
        "consent_to_share": "true",
        "idempotency_key": "preview-key-1",
        "preview": "Preview where it goes",
    }
    login_as("practitioner")
    theirs = text_of(client.post(f"/people/{person_id}/refer", data=form, follow_redirects=True))
    assert "Home care (long term)" in theirs  # where it goes is told; why, in part
    assert "not shown without a care relationship" in theirs
    assert "already open to" not in theirs
    hub = login_as("key_worker", with_client=app.test_client())
    mine = text_of(hub.post(f"/people/{person_id}/refer", data=form, follow_redirects=True))
    assert "already open to" in mine
