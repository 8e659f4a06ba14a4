"""A token limited to the FHIR view, chosen where tokens are issued (the account page)."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.auth.enums import TokenScope
from caremap.auth.models import ApiToken
from caremap.core.extensions import db
from tests.conftest import audit_rows


def _new_token(page) -> str:
    body = page.get_data(as_text=True)
    return body.split('<code id="new-token">')[1].split("</code>")[0]


def test_the_account_page_issues_a_fhir_only_token(app, client, login_as, make_person):
    person_id = make_person("practitioner")  # registered by the practitioner's team
    login_as("practitioner")
    form = client.get("/account").get_data(as_text=True)
    assert 'value="fhir_read"' in form
    page = client.post("/account/tokens", data={"name": "Shared care record", "scope": "fhir_read"})
    assert page.status_code == 200
    secret = _new_token(page)
    assert "Read through FHIR only" in page.get_data(as_text=True)
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Shared care record"))
        assert token.scope == TokenScope.FHIR_READ
    (created,) = [
        row
        for row in audit_rows(app, action="auth.token_create")
        if row.changes["token_id"] == token.id
    ]
    assert created.changes["scope"] == "fhir_read"
    reader = app.test_client()
    reader.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert reader.get(f"/fhir/Patient/{person_id}").status_code == 200
    refused = reader.get("/api/v1/me")
    assert refused.status_code == 403
    assert "FHIR" in refused.json["message"]


def test_a_token_without_a_scope_chosen_can_do_everything_as_before(app, client, login_as):
    login_as("practitioner")
    secret = _new_token(client.post("/account/tokens", data={"name": "Old integration"}))
    reader = app.test_client()
    reader.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    assert reader.get("/api/v1/me").status_code == 200
    assert reader.get("/fhir/metadata").status_code == 200


def test_an_unknown_scope_is_refused_naming_the_field_and_makes_no_token(app, client, login_as):
    login_as("practitioner")
    before = len(audit_rows(app, action="auth.token_create"))
    page = client.post("/account/tokens", data={"name": "Odd", "scope": "write_everything"})
    assert page.status_code == 422
    assert "What the token may do" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "Odd")) is None
    assert len(audit_rows(app, action="auth.token_create")) == before
