"""On a phone: every main page at 320 px wide without sideways scrolling, the menu collapsed.

A page scrolls sideways when the document is wider than the window; a wide table
may scroll, but only inside its own box (`.caremap-table-scroll`).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in

PHONE = {"width": 320, "height": 640}

PRACTITIONER_PAGES = [
    "/",
    "/people/search",
    "/people/search?q=PL4",
    "/people/new",
    "/referrals/queue",
    "/referrals/mine",
    "/tasks",
    "/safeguarding",
    "/account",
]
ADMIN_PAGES = [
    "/admin/users",
    "/admin/routing-rules",
    "/admin/break-glass",
    "/admin/polypharmacy",
]
MANAGER_PAGES = ["/indicators"]


def _document_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _tasks_link(page: Page):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tasks", exact=True)


def _check_pages(page: Page, paths: list[str]) -> None:
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in paths:
        page.goto(path)
        width = _document_width(page)
        if width > PHONE["width"]:
            too_wide[path] = width
        axe_check(page)
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"


def test_practitioner_pages_fit_a_phone_and_the_menu_collapses(page: Page, register_person):
    person = register_person(
        "practitioner", given_name="Narrow", family_name="Screenwidthperson", postcode="PL4 6AB"
    )
    sign_in(page, "practitioner")  # on a wide screen, where Sign out is in view
    page.set_viewport_size(PHONE)
    page.reload()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(_tasks_link(page)).to_be_hidden()
    menu.click()
    expect(_tasks_link(page)).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    _check_pages(
        page,
        [
            *PRACTITIONER_PAGES,
            f"/people/{person}",
            f"/people/{person}/access-log",
            f"/people/{person}/refer",
        ],
    )


@pytest.mark.parametrize(("role", "paths"), [("admin", ADMIN_PAGES), ("manager", MANAGER_PAGES)])
def test_admin_and_manager_pages_fit_a_phone(page: Page, role: str, paths: list[str]):
    sign_in(page, role)
    _check_pages(page, paths)


def test_a_wide_screen_shows_the_navigation_without_a_menu_button(page: Page):
    page.set_viewport_size({"width": 1200, "height": 800})
    sign_in(page, "practitioner")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(_tasks_link(page)).to_be_visible()
