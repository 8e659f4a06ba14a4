"""The staff pickers of the care team and handover pages, without JavaScript (a text box,
Find, the matches as radios a page at a time), and GET /care-team/staff, the JSON that
feeds their type-ahead."""

from __future__ import annotations

import re

import pytest

from caremap.core.extensions import db
from tests.conftest import PASSWORD, text_of


@pytest.fixture
def staff_member(app):
    """Commit a member of staff by name; returns their id."""
    from caremap.auth.operations import create_user

    def make(
        full_name: str,
        *,
        role: str = "practitioner",
        team: str = "spa-triage",
        active: bool = True,
    ) -> int:
        with app.app_context():
            email = re.sub(r"\W+", ".", full_name.lower()) + "@test.example"
            user = create_user(
                actor=None,
                email=email,
                full_name=full_name,
                role=role,
                team=team,
                password=PASSWORD,
            )
            user.is_active = active
            db.session.commit()
            return user.id

    return make


def _radio_values(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]*)"', body) or re.findall(
        rf'type="radio"[^>]*name="{name}"[^>]*value="([^"]*)"', body
    )


def _care_team(app, person_id: int) -> list[tuple[int, str]]:
    from caremap.careteam import queries

    with app.app_context():
        return [(m.user_id, m.role) for m in queries.care_team(person_id, include_ended=False)]


# ---- the care team page -----------------------------------------------------


def test_the_care_team_page_asks_for_a_name_not_a_list_of_every_worker(
    app, client, login_as, make_person, staff_member
):
    staff_member("Oriel Listnotshown")
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    body = text_of(client.get(f"/people/{person_id}/care-team"))
    assert 'id="worker" name="worker" type="text"' in body
    assert 'data-picker-source="/care-team/staff"' in body and 'data-picker-field="user_id"' in body
    assert "Find worker" in body
    assert "Oriel Listnotshown" not in body  # nobody is listed until someone is looked for
    assert "/autocomplete/accessible-autocomplete.min.css" in body
    assert "/static/autocomplete.js" in body


def test_find_lists_the_matches_then_the_one_chosen_is_added(
    app, client, login_as, make_person, staff_member
):
    wanted = staff_member("Wenonah Pickerton")
    closed = staff_member("Wenonah Pickfair", active=False)
    admin = staff_member("Wenonah Pickadmin", role="admin", team="caremap-administration")
    person_id = make_person(role="key_worker")
    login_as("key_worker")

    found = client.post(
        f"/people/{person_id}/care-team/members",
        data={"worker": "wenonah PICK", "role": "Community nurse", "find": "worker"},
    )
    body = text_of(found)
    assert found.status_code == 200, body[:800]
    assert "1 person matches “wenonah PICK”" in body
    assert _radio_values(body, "user_id") == [str(wanted)]
    assert str(closed) not in _radio_values(body, "user_id")  # inactive: not offered
    assert str(admin) not in _radio_values(body, "user_id")  # admins run the system
    assert "Wenonah Pickerton, Single point of access triage team" in body
    assert 'value="Community nurse"' in body  # what else was typed is kept
    assert _care_team(app, person_id) == []  # finding changes nothing

    added = client.post(
        f"/people/{person_id}/care-team/members",
        data={"worker": "wenonah pick", "user_id": str(wanted), "role": "Community nurse"},
    )
    assert added.status_code == 302, text_of(added)[:800]
    assert _care_team(app, person_id) == [(wanted, "Community nurse")]
    assert "Wenonah Pickerton" in text_of(client.get(f"/people/{person_id}/care-team"))


def test_a_name_typed_but_not_chosen_is_asked_for_beside_the_box(
    app, client, login_as, make_person, staff_member
):
    wanted = staff_member("Petroc Unchosen")
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    response = client.post(
        f"/people/{person_id}/care-team/members", data={"worker": "unchosen", "role": ""}
    )
    body = text_of(response)
    assert response.status_code == 422
    assert '<a href="#worker">Choose the worker from the list</a>' in body
    assert '<a href="#role">Enter their role for this person</a>' in body  # both at once
    assert _radio_values(body, "user_id") == [str(wanted)]

    nothing = client.post(f"/people/{person_id}/care-team/members", data={"role": "GP"})
    assert nothing.status_code == 422
    assert '<a href="#worker">Choose the worker</a>' in text_of(nothing)
    assert _care_team(app, person_id) == []


def test_an_unknown_or_closed_account_is_refused_beside_the_box(
    app, client, login_as, make_person, staff_member
):
    closed = staff_member("Ysella Closedaccount", active=False)
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    for user_id, message in (
        (closed, "That worker&#39;s account is not active"),
        (10_000_000, "There is no such worker"),
    ):
        response = client.post(
            f"/people/{person_id}/care-team/members",
            data={"worker": "", "user_id": str(user_id), "role": "GP"},
        )
        body = text_of(response)
        assert response.status_code == 422
        assert f'<a href="#worker">{message}</a>' in body
    assert _care_team(app, person_id) == []


def test_a_worker_chosen_is_kept_when_another_field_is_wrong(
    app, client, login_as, make_person, staff_member
):
    wanted = staff_member("Kerensa Keptchoice")
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    response = client.post(
        f"/people/{person_id}/care-team/members",
        data={"worker": "kept", "user_id": str(wanted), "role": ""},
    )
    body = text_of(response)
    assert response.status_code == 422
    assert f'<input type="hidden" name="user_id" value="{wanted}">' in body
    assert 'value="Kerensa Keptchoice"' in body  # the box shows whom the id names
    assert _radio_values(body, "user_id") == []


def test_many_matches_come_a_page_at_a_time_and_past_a_limit_ask_for_more_of_the_name(
    app, client, login_as, make_person, staff_member
):
    for n in range(12):
        staff_member(f"Jory Pagedpicker{chr(97 + n)}")
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    first = text_of(
        client.post(
            f"/people/{person_id}/care-team/members",
            data={"worker": "pagedpicker", "find": "worker"},
        )
    )
    assert "12 people match “pagedpicker”, showing 1–10" in first
    assert len(_radio_values(first, "user_id")) == 10
    assert 'name="worker_page" value="2"' in first
    assert "narrow the list" not in first
    second = text_of(
        client.post(
            f"/people/{person_id}/care-team/members",
            data={"worker": "pagedpicker", "worker_page": "2"},
        )
    )
    assert "showing 11–12" in second and "Jory Pagedpickerl" in second
    assert len(_radio_values(second, "user_id")) == 2
    assert 'name="worker_page" value="1"' in second and 'value="3"' not in second

    for n in range(40):
        staff_member(f"Jory Pagedpicker{n:02d}")
    many = text_of(
        client.post(
            f"/people/{person_id}/care-team/members",
            data={"worker": "pagedpicker", "find": "worker"},
        )
    )
    assert "52 people match" in many
    assert "More than 50 match: type more of the name, email or team to narrow the list" in many


def test_find_with_an_empty_box_says_what_to_type(app, client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    response = client.post(
        f"/people/{person_id}/care-team/members", data={"worker": " ", "find": "worker"}
    )
    assert response.status_code == 422
    assert "Type part of their name, email or team, then press Find worker" in text_of(response)


# ---- handing a caseload over ---------------------------------------------------


@pytest.fixture
def leaving_with_a_person(app, api, make_person, worker):
    """A key worker who leads one person; returns (their id, the person's id)."""
    leaving, client = worker("lowena.leaving@test.example")
    person_id = make_person(role="key_worker")
    assert (
        api("key_worker")
        .post(f"/people/{person_id}/care-team/lead", json={"user_id": leaving})
        .status_code
        == 201
    )
    return leaving, person_id


def _lead_of(app, person_id: int) -> int | None:
    from caremap.careteam.operations import active_lead

    with app.app_context():
        lead = active_lead(person_id)
        return lead.user_id if lead else None


def test_a_caseload_is_handed_to_a_key_worker_found_by_name(
    app, client, login_as, staff_member, leaving_with_a_person
):
    leaving, person_id = leaving_with_a_person
    taker = staff_member("Tamsin Handoverly", role="key_worker", team="complex-needs-hub")
    staff_member("Tamsin Handoverpractitioner")  # a practitioner cannot lead
    staff_member("Tamsin Handoverclosed", role="key_worker", active=False, team="complex-needs-hub")
    login_as("admin")
    page = text_of(client.get(f"/users/{leaving}/hand-over"))
    assert 'id="to_worker" name="to_worker"' in page
    assert f'data-picker-source="/care-team/staff?role=key_worker&amp;exclude={leaving}"' in page

    found = client.post(
        f"/users/{leaving}/hand-over", data={"to_worker": "tamsin handover", "find": "to_worker"}
    )
    body = text_of(found)
    assert found.status_code == 200
    assert _radio_values(body, "to_user_id") == ["__none__", str(taker)]
    assert "Each person to the key worker in the team with the smallest caseload" in body

    not_chosen = client.post(
        f"/users/{leaving}/hand-over", data={"to_worker": "tamsin", "reason": "Leaving"}
    )
    assert not_chosen.status_code == 422
    assert (
        '<a href="#to_worker">Choose who takes the caseload from the list, or empty the box</a>'
        in text_of(not_chosen)
    )
    assert _lead_of(app, person_id) == leaving

    handed = client.post(
        f"/users/{leaving}/hand-over",
        data={"to_worker": "tamsin", "to_user_id": str(taker), "reason": "Leaving"},
    )
    assert handed.status_code == 302, text_of(handed)[:800]
    assert _lead_of(app, person_id) == taker


def test_handover_refuses_someone_who_cannot_lead_beside_the_box(
    app, client, login_as, staff_member, leaving_with_a_person
):
    leaving, person_id = leaving_with_a_person
    practitioner = staff_member("Morwenna Notakeyworker")
    closed = staff_member(
        "Morwenna Closedkeyworker", role="key_worker", team="complex-needs-hub", active=False
    )
    login_as("admin")
    for user_id, message in (
        (practitioner, "Morwenna Notakeyworker is not a key worker, so cannot lead"),
        (closed, "Morwenna Closedkeyworker&#39;s account is not active"),
        (leaving, "Choose someone else"),
    ):
        response = client.post(
            f"/users/{leaving}/hand-over",
            data={"to_worker": "", "to_user_id": str(user_id), "reason": "Leaving"},
        )
        assert response.status_code == 422
        assert f'<a href="#to_worker">{message}</a>' in text_of(response)
    assert _lead_of(app, person_id) == leaving


def test_handover_with_no_one_named_goes_to_the_smallest_caseload(
    app, client, login_as, leaving_with_a_person
):
    leaving, person_id = leaving_with_a_person
    login_as("admin")
    no_reason = client.post(
        f"/users/{leaving}/hand-over",
        data={"to_worker": "anyone", "to_user_id": "__none__", "reason": ""},
    )
    assert no_reason.status_code == 422
    assert 'value="__none__" checked' in text_of(no_reason)  # the choice is kept
    chosen_no_one = client.post(
        f"/users/{leaving}/hand-over",
        data={"to_worker": "anyone", "to_user_id": "__none__", "reason": "Leaving"},
    )
    assert chosen_no_one.status_code == 302, text_of(chosen_no_one)[:800]
    assert _lead_of(app, person_id) not in (None, leaving)


# ---- GET /care-team/staff ---------------------------------------------------------


def test_the_staff_feed_answers_only_the_signed_in(app, client, login_as, staff_member, api):
    staff_member("Demelza Feedsearch")
    signed_out = client.get("/care-team/staff?q=feedsearch")
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]
    # A page's feed: a token is not a session (and /api/ takes no cookie).
    token = api("practitioner")
    assert (
        token.client.get("/care-team/staff?q=feedsearch", headers=token.headers).status_code == 302
    )
    login_as("practitioner")
    response = client.get("/care-team/staff?q=feedsearch")
    assert response.status_code == 200
    assert [s["name"] for s in response.json] == ["Demelza Feedsearch"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_staff_feed_offers_active_staff_who_may_be_picked(app, client, login_as, staff_member):
    shown = staff_member("Demelza Feedactive")
    staff_member("Demelza Feedclosed", active=False)
    staff_member("Demelza Feedadmin", role="admin", team="caremap-administration")
    leader = staff_member("Demelza Feedkeyworker", role="key_worker", team="complex-needs-hub")
    login_as("key_worker")
    response = client.get("/care-team/staff?q=demelza+feed")
    assert response.status_code == 200
    assert [(s["id"], s["name"], s["role"]) for s in response.json] == [
        (shown, "Demelza Feedactive", "Practitioner"),
        (leader, "Demelza Feedkeyworker", "Key worker"),
    ]
    assert set(response.json[0]) == {"id", "name", "team", "service", "role"}
    assert all(s["team"] and s["service"] for s in response.json)
    assert response.headers["X-Total-Count"] == "2"
    key_workers = client.get("/care-team/staff?q=demelza&role=key_worker").json
    assert [s["id"] for s in key_workers] == [leader]
    assert [s["id"] for s in client.get(f"/care-team/staff?q=demelza&exclude={leader}").json] == [
        shown
    ]
    refused = client.get("/care-team/staff?q=demelza&role=admin")
    assert refused.status_code == 422 and "role" in refused.json["errors"]


def test_the_staff_feed_is_limited_and_paged(app, client, login_as, staff_member):
    for n in range(27):
        staff_member(f"Cadan Feedpaged{n:02d}")
    login_as("key_worker")
    first = client.get("/care-team/staff?q=feedpaged")
    assert len(first.json) == 10 and first.headers["X-Total-Count"] == "27"
    assert first.json[0]["name"] == "Cadan Feedpaged00"
    widest = client.get("/care-team/staff?q=feedpaged&per_page=25&page=2")
    assert [s["name"] for s in widest.json] == ["Cadan Feedpaged25", "Cadan Feedpaged26"]
    too_many = client.get("/care-team/staff?q=feedpaged&per_page=26")
    assert too_many.status_code == 422 and "per_page" in too_many.json["errors"]
    for bad in ("", "?q=", "?q=x&colour=blue"):
        assert client.get(f"/care-team/staff{bad}").status_code == 422, bad


def test_the_api_names_to_user_id_for_someone_who_cannot_take_a_caseload(
    app, api, staff_member, leaving_with_a_person
):
    leaving, person_id = leaving_with_a_person
    practitioner = staff_member("Jago Apinotlead")
    closed = staff_member(
        "Jago Apiclosed", role="key_worker", team="complex-needs-hub", active=False
    )
    for user_id in (practitioner, closed, 10_000_000):
        response = api("admin").post(
            f"/users/{leaving}/hand-over", json={"to_user_id": user_id, "reason": "Leaving"}
        )
        assert response.status_code == 422
        assert list(response.json["errors"]["json"]) == ["to_user_id"]
    assert _lead_of(app, person_id) == leaving


# ---- the lead key worker ---------------------------------------------------------------


def test_the_lead_is_a_select_of_the_own_service_s_key_workers(
    app, client, login_as, make_person, staff_member
):
    staff_member("Ruan Elsewhere", role="key_worker", team="reablement-plymouth")
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    body = text_of(client.get(f"/people/{person_id}/care-team"))
    assert '<select class="govuk-select" id="user_id" name="user_id"' in body
    assert "Test Key Worker, " in body and "(0 people)" in body
    assert "Ruan Elsewhere" not in body  # another service's key worker
    assert 'name="lead_worker"' not in body


def test_without_key_workers_in_the_own_service_the_lead_is_found_by_name(
    app, client, login_as, make_person, staff_member
):
    leader = staff_member("Ruan Leadpicked", role="key_worker", team="reablement-plymouth")
    staff_member("Ruan Leadpractitioner")  # cannot lead: not offered
    person_id = make_person(role="practitioner")
    login_as("practitioner")  # triage: no key workers in the service
    body = text_of(client.get(f"/people/{person_id}/care-team"))
    assert 'id="lead_worker" name="lead_worker" type="text"' in body
    assert 'data-picker-source="/care-team/staff?role=key_worker"' in body
    assert '<select class="govuk-select" id="user_id"' not in body

    found = text_of(
        client.post(
            f"/people/{person_id}/care-team/lead", data={"lead_worker": "ruan", "find": "lead"}
        )
    )
    assert _radio_values(found, "user_id") == [str(leader)]
    not_chosen = client.post(f"/people/{person_id}/care-team/lead", data={"lead_worker": "ruan"})
    assert not_chosen.status_code == 422
    assert '<a href="#lead_worker">Choose the lead key worker from the list</a>' in text_of(
        not_chosen
    )
    chosen = client.post(
        f"/people/{person_id}/care-team/lead",
        data={"lead_worker": "ruan", "user_id": str(leader)},
    )
    assert chosen.status_code == 302, text_of(chosen)[:800]
    assert _lead_of(app, person_id) == leader


def test_the_staff_feed_reads_a_page_in_the_same_few_queries_however_many_match(
    app, client, login_as, staff_member, count_queries
):
    teams = ["spa-triage", "complex-needs-hub", "reablement-plymouth", "safeguarding-adults"]
    for n in range(10):
        staff_member(f"Elowen Budgeted{n:02d}", team=teams[n % len(teams)])
    login_as("practitioner")
    counts = []
    for q in ("budgeted00", "budgeted"):
        with count_queries() as statements:
            answer = client.get(f"/care-team/staff?q={q}")
        counts.append(len(statements))
        assert answer.status_code == 200
    assert len(answer.json) == 10 and len({s["team"] for s in answer.json}) == 4
    assert counts[0] == counts[1], counts  # teams and services come with the staff
