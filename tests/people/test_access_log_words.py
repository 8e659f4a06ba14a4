"""Who has looked at this record, in words and grouped by day; every action has words."""

import re

from caremap.people.log_words import in_words
from tests.conftest import text_of


def test_the_log_reads_as_sentences_grouped_by_day(client, login_as, make_person):
    person = make_person("practitioner", given_name="Ottilie")
    login_as("practitioner")
    client.get(f"/people/{person}")
    page = text_of(client.get(f"/people/{person}/access-log"))
    said = "<strong>Test Practitioner</strong> (Single point of access triage team)"
    said += " opened the record"
    assert said in page
    assert "registered the person" in page
    day = r'<h3 class="govuk-heading-s[^"]*" id="log-day-1">\d{1,2} \w+ \d{4}</h3>'
    assert re.search(day, page)
    shown = page[page.index('id="access-log"') :]
    assert ">people.view<" not in shown and " people.view " not in shown


def test_an_action_without_words_of_its_own_still_reads_as_words():
    assert in_words("people.view") == "opened the record"
    assert in_words("safeguarding.risk_add") == "safeguarding: risk add"
    assert in_words("somewhere.new_thing") == "somewhere: new thing"


def test_a_change_of_details_says_which_details_changed():
    moved = {"address_line_1": ["1 Old Road", "2 New Road"], "postcode": ["PL1 1AA", "PL2 2BB"]}
    assert in_words("people.update_identity", moved) == "changed the address"
    several = {"given_name": ["Ann", "Anne"], "phone": [None, "01752 000000"], "town": ["A", "B"]}
    assert in_words("people.update_identity", several) == (
        "changed the name, the phone number and the address"
    )
    assert in_words("people.update_identity", {}) == "changed the person's details"
    assert in_words("people.update_identity", None) == "changed the person's details"


def test_the_log_says_which_details_were_changed_and_never_their_values(
    client, api, login_as, make_person
):
    person = make_person("practitioner", given_name="Philippa")
    practitioner = api("practitioner")
    version = practitioner.get(f"/people/{person}").json["person"]["version"]
    moved = practitioner.patch(
        f"/people/{person}",
        json={"address_line_1": "9 Armada Way", "postcode": "PL1 1EA", "version": version},
    )
    assert moved.status_code == 200, moved.json
    login_as("practitioner")
    page = text_of(client.get(f"/people/{person}/access-log"))
    log = page[page.index('id="access-log"') :]  # the header above shows the address
    assert "changed the address" in log
    assert "9 Armada Way" not in log and "PL1 1EA" not in log
