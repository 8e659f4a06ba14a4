"""The routing rule editor, post/redirect/get (issue 18): a preview holds the draft server
side and the post answers 303; the trial is a page got; saving takes the draft once."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.routing import queries
from caremap.routing.models import RoutingRule
from caremap.ui.pending import GONE, PendingForm
from tests.conftest import text_of

CODE = "discharge_65_reablement"
GONE_WORDS = "This form is no longer held"


def draft(app, **changes: str) -> dict:
    with app.app_context():
        rule = queries.current_rule(CODE)
        form = {
            "name": rule.name,
            "description": "Tried on the Quillerbright ward first",
            "priority": str(rule.priority),
            "conditions": json.dumps(rule.conditions),
            "targets": ", ".join(rule.targets),
            "actions": json.dumps(rule.actions or {}),
            "is_active": "y",
        }
    return {**form, **changes}


def versions(app) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(RoutingRule).where(RoutingRule.code == CODE)
        )


def test_the_trial_is_a_page_got_and_saving_takes_it_once(app, client, login_as):
    login_as("admin")
    before = versions(app)
    held = client.post(f"/admin/routing-rules/{CODE}", data={**draft(app), "preview": "Preview"})
    assert held.status_code == 303
    location = held.headers["Location"]
    assert location.startswith(f"/admin/routing-rules/{CODE}?held=")
    assert "Quillerbright" not in location
    token = location.split("held=", 1)[1]
    shown = client.get(location)
    assert shown.status_code == 200
    page = text_of(shown)
    assert "This rule would have matched" in page and "Quillerbright ward" in page
    assert versions(app) == before

    save = {**draft(app), "save": "Save as a new version", "held": token}
    saved = client.post(f"/admin/routing-rules/{CODE}", data=save)
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/routing-rules"
    assert versions(app) == before + 1
    again = client.post(f"/admin/routing-rules/{CODE}", data=save)
    assert again.status_code == 303 and again.headers["Location"] == f"/admin/routing-rules/{CODE}"
    assert versions(app) == before + 1
    assert GONE in text_of(client.get(again.headers["Location"]))
    back = client.get(location)
    assert back.status_code == 404 and GONE_WORDS in text_of(back)


def test_a_new_rule_s_draft_is_not_another_rule_s_and_expires(app, client, login_as):
    login_as("admin")
    new = {**draft(app), "code": "prg_trial_rule", "preview": "Preview"}
    held = client.post("/admin/routing-rules/new", data=new)
    assert held.status_code == 303
    location = held.headers["Location"]
    assert location.startswith("/admin/routing-rules/new?held=")
    token = location.split("held=", 1)[1]
    assert 'value="prg_trial_rule"' in client.get(location).get_data(as_text=True)
    elsewhere = client.get(f"/admin/routing-rules/{CODE}?held={token}")
    assert elsewhere.status_code == 404 and "Quillerbright" not in text_of(elsewhere)
    with app.app_context():
        db.session.execute(
            sa.update(PendingForm)
            .where(PendingForm.id == token)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        db.session.commit()
    expired = client.get(location)
    assert expired.status_code == 404
    assert GONE_WORDS in text_of(expired) and "Quillerbright" not in text_of(expired)


def test_a_draft_with_errors_is_shown_at_once(app, client, login_as):
    login_as("admin")
    broken = {**draft(app), "conditions": "{not json", "preview": "Preview"}
    response = client.post(f"/admin/routing-rules/{CODE}", data=broken)
    assert response.status_code == 422 and "is not valid JSON" in text_of(response)
