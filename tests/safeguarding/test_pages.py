"""Every safeguarding page about a person, as the browser test does for three of them,
checked here for all of them in each state: the person's header, a back link, the person
as a real link (never as escaped HTML), and no literal 'None' where a hint or a blank
belongs."""

import datetime as dt
import re

from tests.conftest import text_of
from tests.safeguarding.answers import SAC_ANSWERS
from tests.safeguarding.test_safeguarding import _triage, raise_one


def _main(response) -> str:
    body = response.get_data(as_text=True)
    return body.split("<main", 1)[1].split("</main>", 1)[0]


def _carries_the_person(response, person_id: int, name: str) -> None:
    assert response.status_code == 200
    main = _main(response)
    assert 'id="person-header"' in main and "govuk-back-link" in main
    assert re.search(rf'<a class="govuk-link" href="/people/{person_id}">{name}</a>', main)
    assert "&lt;a" not in main
    words = re.sub(r"<[^>]+>", " ", main)
    assert not re.search(r"\bNone\b", words), words


def test_each_safeguarding_page_carries_the_person(app, api, client, login_as, make_person):
    person_id = make_person(role="key_worker", given_name="Demelza", family_name="Kitto")
    name = "Demelza Kitto"
    login_as("practitioner")
    raise_page = client.get(f"/people/{person_id}/safeguarding/new")
    assert 'id="person-header"' in _main(raise_page) and "govuk-back-link" in _main(raise_page)
    assert not re.search(r"\bNone\b", re.sub(r"<[^>]+>", " ", _main(raise_page)))
    # A concern whose raiser could not ask the person and did not know the source.
    raised = raise_one(
        api,
        person_id,
        person_wishes=None,
        wishes_not_asked_reason="She was too unwell to talk",
        risk_source="unknown",
    )
    lead = app.test_client()
    login_as("safeguarding_lead", with_client=lead)
    awaiting = lead.get(f"/safeguarding/concerns/{raised['id']}")
    _carries_the_person(awaiting, person_id, name)
    assert "Triage: the section 42(1) test" in text_of(awaiting)
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    enquiry = _triage(api, concern).json["enquiry"]
    open_page = lead.get(f"/safeguarding/concerns/{raised['id']}")
    _carries_the_person(open_page, person_id, name)
    assert "No risks recorded yet." in text_of(open_page)
    version = (
        api("safeguarding_lead").get(f"/safeguarding/enquiries/{enquiry['id']}").json["version"]
    )
    # The page's own forms: a risk, then the conclusion with the collection's answers.
    added = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/risks",
        data={
            "version": version,
            "risk_type": "self_neglect",
            "risk_location": "own_home",
            "risk_source": "known_to_the_person",
        },
    )
    assert added.status_code == 302
    refused = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        data={"version": version + 1, "closed_on": ["1", "1", "2026"]},
    )
    assert refused.status_code == 422
    assert "Choose whether a risk was identified and action taken" in text_of(refused)
    today = dt.date.today()
    concluded = lead.post(
        f"/safeguarding/enquiries/{enquiry['id']}/conclude",
        data={
            "version": version + 1,
            **SAC_ANSWERS,
            "risk_outcome": "removed",
            "outcomes_achieved": "fully",
            "closed_on": [str(x) for x in (today.day, today.month, today.year)],
        },
    )
    assert concluded.status_code == 302, text_of(concluded)
    done = lead.get(f"/safeguarding/concerns/{raised['id']}")
    _carries_the_person(done, person_id, name)
    assert "Risk removed" in text_of(done) and "Self-neglect" in text_of(done)
    mine = client.get("/safeguarding/mine")
    assert f'<a class="govuk-link" href="/people/{person_id}">{name}</a>' in _main(mine)
