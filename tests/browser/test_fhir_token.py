"""A worker gives a shared care record a token that can only read through the FHIR view."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in


def test_a_fhir_only_token_from_your_account_reads_fhir_and_nothing_else(
    page: Page, live_server: str, register_person
) -> None:
    person_id = register_person("practitioner", given_name="Ysolde", family_name="Angove")
    sign_in(page, "practitioner")
    page.get_by_role("link", name="Your account").click()
    page.get_by_label("What the token is for").fill("Shared care record")
    page.get_by_label("Read records through the FHIR view only").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    assert re.match(r"^cm_", secret)
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("Read through FHIR only")
    axe_check(page)

    headers = {"Authorization": f"Bearer {secret}"}
    patient = requests.get(f"{live_server}/fhir/Patient/{person_id}", headers=headers, timeout=10)
    assert patient.status_code == 200
    assert patient.headers["Content-Type"].startswith("application/fhir+json")
    refused = requests.get(f"{live_server}/api/v1/me", headers=headers, timeout=10)
    assert refused.status_code == 403
    assert "FHIR" in refused.json()["message"]
