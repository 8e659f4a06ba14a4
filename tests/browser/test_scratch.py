from playwright.sync_api import expect
from tests.conftest import PASSWORD
from tests.browser.conftest import axe_check, AXE

def test_scratch(page, console_errors):
    msgs = []
    page.on("console", lambda m: msgs.append((m.type, m.text)))
    page.goto("/sign-in")
    try:
        page.add_script_tag(path=str(AXE))
        print("add_script_tag ok", page.evaluate("typeof axe"))
    except Exception as e:
        print("add_script_tag failed", e)
    print(msgs)
    page.get_by_label("Email address").fill("practitioner@test.example")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Enter a correct email")).not_to_have_count(0)
    print(msgs)
    page.goto("/people/99999")
    print(page.url)
    page.get_by_label("Email address").fill("practitioner@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    print(page.url, page.title())
    print(msgs)
    print(console_errors)
    console_errors.clear()
