"""Free text in a real browser: GOV.UK's count tells the person how much room is left, and a
word with no spaces in it (a URL, a reference, a key held down) wraps on a phone rather
than widening the page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1024, "height": 768}


def test_typing_shows_how_many_characters_remain(page: Page, register_person):
    person = register_person("key_worker", given_name="Counted", family_name=unique_tag())
    sign_in(page, "key_worker")
    page.goto(f"/people/{person}/consent")
    note = page.get_by_label("Note (optional)")
    # The count a sighted person sees; GOV.UK says it to a screen reader in a live region.
    count = page.locator(".govuk-character-count__status")
    expect(count).to_have_text("You have 1,000 characters remaining")
    note.press_sequentially("Agreed to share")
    expect(count).to_have_text("You have 985 characters remaining")
    axe_check(page)
    note.fill("x" * 1003)
    note.press("End")
    expect(count).to_have_text("You have 3 characters too many")
    expect(note).to_have_class("govuk-textarea govuk-js-character-count govuk-textarea--error")
    axe_check(page)


def test_a_long_unbroken_word_wraps_on_a_phone(page: Page, register_person, in_database):
    from caremap.core.extensions import db
    from caremap.people.models import Person
    from caremap.safeguarding.operations import add_action
    from tests.conftest import user
    from tests.factories import make_break_glass, make_concern, make_enquiry

    word = "Unbroken" + "x" * 292  # 300 characters without a space
    person = register_person("key_worker", given_name="Wrapped", family_name=unique_tag())

    def record_text_with_the_word() -> int:
        someone = db.session.get(Person, person)
        make_break_glass(someone, user("practitioner"), reason=f"Collapsed: {word}")
        concern = make_concern(someone, what_happened=f"She said {word} twice")
        lead = user("safeguarding_lead")
        add_action(  # shown in a table, whose cells a word would otherwise widen
            actor=lead,
            enquiry=make_enquiry(concern, lead=lead),
            description=f"Ring {word}",
            owner_id=lead.id,
            due_on=dt.date.today() + dt.timedelta(days=7),
        )
        db.session.commit()
        return concern.id

    concern = in_database(record_text_with_the_word)
    sign_in(page, "key_worker")
    page.goto(f"/people/{person}/story")
    page.get_by_label("My story").fill(f"I like {word} and tea")
    page.get_by_role("button", name="Save my story").click()
    expect(page.get_by_text("My story was saved")).to_be_visible()

    too_wide = {}
    for role, paths in (
        ("key_worker", [f"/people/{person}"]),  # my story
        ("admin", ["/admin/break-glass"]),  # a reason
        ("safeguarding_lead", [f"/safeguarding/concerns/{concern}"]),  # details, an action
    ):
        page.context.clear_cookies()
        sign_in(page, role)
        for width in (PHONE["width"], DESKTOP["width"]):
            page.set_viewport_size({**PHONE, "width": width})
            for path in paths:
                page.goto(path)
                expect(page.get_by_text(word[:40], exact=False).first).to_be_visible()
                wide = page.evaluate("() => document.documentElement.scrollWidth")
                if wide > width:
                    too_wide[f"{path} at {width} px"] = wide
                if width == PHONE["width"]:
                    axe_check(page)
        page.set_viewport_size(DESKTOP)
    assert not too_wide, f"a {len(word)}-character word widened the page: {too_wide}"
