"""Every merge is checked afterwards, as break-glass is: listed for the admins (page and
API) unreviewed first, reviewed once with a note that joins the survivor's audit trail."""

from __future__ import annotations

import re

from tests.conftest import audit_rows, text_of


def _merge(api, make_person, reason="Same person: GP confirmed"):
    survivor = make_person(role="key_worker", given_name="Jenifer", family_name="Kitto")
    duplicate = make_person(role="key_worker", given_name="Jennifer", family_name="Kitto")
    merged = api("admin").post(
        f"/people/{survivor}/merge", json={"duplicate_id": duplicate, "reason": reason}
    )
    assert merged.status_code == 200
    (listed,) = [m for m in api("admin").get("/merges").json if m["duplicate_id"] == duplicate]
    return survivor, duplicate, listed


def test_a_merge_is_listed_for_review_unreviewed_first(api, make_person):
    survivor, duplicate, listed = _merge(api, make_person)
    assert listed["survivor_id"] == survivor
    assert listed["reason"] == "Same person: GP confirmed"
    assert listed["merged_by"] == "Test Admin"
    assert listed["reviewed_at"] is None
    merges = api("admin").get("/merges").json
    reviewed = [m["reviewed_at"] is not None for m in merges]
    assert reviewed == sorted(reviewed)  # the unreviewed come first


def test_an_admin_reviews_a_merge_once_and_the_note_is_audited(app, api, make_person):
    survivor, duplicate, listed = _merge(api, make_person)
    admin = api("admin")
    path = f"/merges/{listed['id']}/review"
    done = admin.post(path, json={"note": "Checked with the GP: one person."})
    assert done.status_code == 200, done.json
    assert done.json["review_note"] == "Checked with the GP: one person."
    assert done.json["reviewed_by"] == "Test Admin" and done.json["reviewed_at"]
    (row,) = audit_rows(app, person_id=survivor, action="access.merge_review")
    assert row.reason == "Checked with the GP: one person."
    assert row.changes["merge_event_id"] == listed["id"]
    again = admin.post(path, json={"note": "Again"})
    assert (
        again.status_code == 409
        and "already been reviewed" in again.json["errors"]["json"]["note"][0]
    )
    (shown,) = [m for m in admin.get("/merges").json if m["id"] == listed["id"]]
    assert shown["review_note"] == "Checked with the GP: one person."


def test_only_a_merge_can_be_reviewed_and_a_note_is_needed(app, api, make_person):
    survivor, duplicate, listed = _merge(api, make_person)
    (other,) = audit_rows(app, person_id=survivor, action="people.merge")[-1:]
    assert api("admin").post(f"/merges/{other.id}/review", json={"note": "x"}).status_code == 404
    assert api("admin").post(f"/merges/{listed['id']}/review", json={}).status_code == 422


def test_only_admins_see_or_review_merges(api, make_person, client, login_as):
    _, _, listed = _merge(api, make_person)
    for role in ("key_worker", "practitioner", "manager", "safeguarding_lead"):
        assert api(role).get("/merges").status_code == 404
        refused = api(role).post(f"/merges/{listed['id']}/review", json={"note": "Fine"})
        assert refused.status_code == 404
    login_as("key_worker")
    assert client.get("/admin/break-glass").status_code == 404
    page = client.post(f"/admin/merges/{listed['id']}/review", data={"note": "Fine"})
    assert page.status_code == 404
    (still,) = [m for m in api("admin").get("/merges").json if m["id"] == listed["id"]]
    assert still["reviewed_at"] is None


def test_the_review_page_has_a_section_of_merges_to_review(app, api, make_person, login_as):
    survivor, duplicate, listed = _merge(api, make_person, reason="Two registrations in ED")
    admin = login_as("admin", with_client=app.test_client())
    page = text_of(admin.get("/admin/break-glass"))
    assert "Merges to review" in page and "Two registrations in ED" in page
    blank = admin.post(f"/admin/merges/{listed['id']}/review", data={"note": ""})
    assert blank.status_code == 422
    done = admin.post(
        f"/admin/merges/{listed['id']}/review", data={"note": "Same NHS number on both"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("#merges")
    page = text_of(admin.get("/admin/break-glass"))
    assert re.search(r"Reviewed \S.*Same NHS number on both", page)
    assert audit_rows(app, person_id=survivor, action="access.merge_review")
