"""Several safeguarding leads at once on one enquiry's risks and its conclusion: real
commits from many threads (a database of its own), and no write is lost or half-made:
one copy of a risk recorded at the same moment by many, and never a section 42 enquiry
concluded without a risk because one was removed while it concluded."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.safeguarding.enums import EnquiryStatus
from caremap.safeguarding.models import Enquiry, EnquiryRisk
from tests import factories
from tests.conftest import app_with_its_own_database
from tests.safeguarding.answers import SAC_ANSWERS

WRITERS = 6


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("sac_concurrency")


def _enquiry(app) -> tuple[int, int, int]:
    """An open section 42 enquiry with the one risk its concern named."""
    with app.app_context():
        concern = factories.make_concern(factories.make_person())
        enquiry = factories.make_enquiry(concern)
        db.session.commit()
        return enquiry.id, enquiry.version, enquiry.risks[0].id


def _fire(app, calls: list[tuple[str, dict]]) -> list[int]:
    token = app.config["TEST_TOKENS"]["safeguarding_lead"]
    barrier = threading.Barrier(len(calls))

    def call(path_body):
        path, body = path_body
        client = app.test_client()
        barrier.wait()
        return client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [r.status_code for r in pool.map(call, calls)]


def test_of_many_leads_recording_the_same_risk_at_once_one_copy_is_kept(committed_app):
    enquiry_id, version, _ = _enquiry(committed_app)
    body = {
        "version": version,
        "risk_type": "physical",
        "risk_location": "nursing_home",
        "risk_source": "service_provider",
    }
    statuses = _fire(
        committed_app, [(f"/api/v1/safeguarding/enquiries/{enquiry_id}/risks", body)] * WRITERS
    )
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409}, statuses
    with committed_app.app_context():
        kept = db.session.scalars(
            sa.select(EnquiryRisk).where(EnquiryRisk.enquiry_id == enquiry_id)
        ).all()
        assert sorted(r.risk_type for r in kept) == ["neglect_and_acts_of_omission", "physical"]
        assert db.session.get(Enquiry, enquiry_id).version == version + 1


def test_removing_the_last_risk_while_others_conclude_never_leaves_it_without_one(
    committed_app,
):
    for _ in range(3):
        enquiry_id, version, risk_id = _enquiry(committed_app)
        conclusion = {
            "version": version,
            "closed_on": dt.date.today().isoformat(),
            **SAC_ANSWERS,
            "risk_outcome": "reduced",
            "outcomes_achieved": "fully",
        }
        calls = [(f"/api/v1/safeguarding/risks/{risk_id}/remove", {"version": version})]
        calls += [(f"/api/v1/safeguarding/enquiries/{enquiry_id}/conclude", conclusion)] * (
            WRITERS - 1
        )
        statuses = _fire(committed_app, calls)
        assert set(statuses) <= {200, 409, 422}, statuses
        assert statuses.count(200) == 1, statuses  # the removal or one conclusion, not both
        with committed_app.app_context():
            enquiry = db.session.get(Enquiry, enquiry_id)
            if enquiry.status == EnquiryStatus.CONCLUDED:
                assert enquiry.risks and statuses[0] != 200
            else:
                assert enquiry.risks == [] and statuses[0] == 200
