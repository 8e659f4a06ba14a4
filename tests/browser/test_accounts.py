"""Signing in (and being locked out), your account, and the admin's users page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag
from tests.conftest import PASSWORD

LOCKED = "Too many failed attempts. Wait 15 minutes, then try again"


def _submit(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _try_to_sign_in(page: Page, email: str, password: str) -> None:
    """Sign in and be refused.

    The refusal page looks like the one before it, so wait for what only the new page
    has: an empty password box (the page never sends a password back) and the email kept.
    """
    _submit(page, email, password)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_label("Email address")).to_have_value(email)
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()


def _refusal(page: Page) -> str:
    """The message in the error summary, and the same beside the email field."""
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    message = summary.get_by_role("link").inner_text().strip()
    expect(page.locator("#email-error")).to_contain_text(message)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    return message


def test_five_wrong_passwords_lock_the_address_with_the_same_message_as_no_account(
    page: Page, make_user
) -> None:
    tag = unique_tag().lower()
    real = make_user(f"lockout-{tag}@test.example")
    ghost = f"nobody-{tag}@test.example"

    page.goto("/sign-in")
    messages = {}
    for email in (real, ghost):
        for attempt in range(5):
            _try_to_sign_in(page, email, f"wrong-password-{attempt}")
        _try_to_sign_in(page, email, PASSWORD)
        messages[email] = _refusal(page)
    axe_check(page)

    assert messages[real] == LOCKED
    assert messages[ghost] == messages[real]

    # Someone else can still sign in from the same browser.
    sign_in(page, "practitioner")


def test_the_first_failures_get_the_generic_message(page: Page, make_user) -> None:
    email = make_user(f"typo-{unique_tag().lower()}@test.example")
    page.goto("/sign-in")
    _try_to_sign_in(page, email, "not-my-password")
    assert _refusal(page) == "Enter a correct email address and password"
    _submit(page, email, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_your_account_and_the_admins_users_page(page: Page) -> None:
    sign_in(page, "practitioner")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    axe_check(page)
    page.get_by_label("What the token is for").fill("Browser test token")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^cm_"))
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("Browser test token")
    axe_check(page)
    # A practitioner has no users page.
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users")
    ).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    users = page.get_by_role("table", name="Everyone who can sign in")
    expect(users).to_contain_text("practitioner@test.example")
    expect(users).to_contain_text("admin@test.example")
    axe_check(page)
