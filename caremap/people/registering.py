"""The register-a-person page, post/redirect/get.

A registration that may duplicate a record is held (`ui.pending`) and the post redirects
(303) to the form again with the warning; the back and forward buttons then move between
pages got, never "Confirm form resubmission". The warning is worked out afresh each time
the page is shown, from the records as they are then, and each showing is audited (the
matches are other people's identities).
"""

from __future__ import annotations

from typing import Any

import flask

from caremap.auth.current import actor as _me
from caremap.core.errors import DomainError
from caremap.people import operations, queries
from caremap.people.forms import RegisterForm
from caremap.people.identity_checks import SamePersonError
from caremap.people.schemas import RegisterPersonArgs
from caremap.ui import pending
from caremap.ui.forms import attach_errors, handle_form_post, validate_form

KIND = "people.register"

STALE_CHECK = (
    "The record you said this person is not has changed since (merged or renamed). "
    "Check the details and register again."
)


def register():
    me = _me()
    token = flask.request.values.get(pending.TOKEN)
    if flask.request.method == "GET":
        if token is None:
            return _page(RegisterForm(), 200)
        held = pending.held(token, user_id=me.id, kind=KIND)
        if held is None:  # used, expired, someone else's: all answered alike
            return _page(RegisterForm(formdata=None), 404, gone=pending.GONE)
        return _show_held(token, held)
    if token is not None and pending.take(token, user_id=me.id, kind=KIND) is None:
        flask.flash(pending.GONE)
        return flask.redirect(flask.url_for("people.register"), 303)
    form = RegisterForm()
    explained = list(form.not_the_same_person_as.data or [])

    def hold(errors: dict[str, list[str]]):
        fields = pending.form_payload(flask.request.form)
        again = pending.hold(
            user_id=me.id, kind=KIND, payload={"fields": fields, "errors": errors}, token=token
        )
        return flask.redirect(flask.url_for("people.register", **{pending.TOKEN: again}), 303)

    def refused(error: DomainError):
        if isinstance(error, SamePersonError):
            asked = error.field == "reason" or explained
            return hold({"reason": [error.message]} if asked else {})
        if isinstance(error, operations.PossibleDuplicatesError):
            return hold({})
        if error.field == "not_the_same_person_as":
            # A record checked was merged or renamed since: the answer no longer applies.
            return hold({"given_name": [STALE_CHECK], "not_the_same_person_as": []})
        return None

    return handle_form_post(
        form,
        RegisterPersonArgs(),
        lambda args: operations.register_person(actor=me, details=args),
        done=lambda person: f"{person.display_name} is registered.",
        redirect_to=lambda person: flask.url_for("people.view", person_id=person.id),
        page=lambda status: _page(form, status, token=token),
        refused=refused,
    )


def _show_held(token: str, held: dict[str, Any]):
    """The held form with the warning as the records are now (read only), audited."""
    fields = dict(held["fields"])
    errors = dict(held.get("errors") or {})
    if "not_the_same_person_as" in errors:  # the stale answer is dropped, not shown
        errors.pop("not_the_same_person_as")
        fields.pop("not_the_same_person_as", None)
        fields.pop("reason", None)
    form = RegisterForm(formdata=pending.as_formdata(fields))
    args = validate_form(form, RegisterPersonArgs())
    if args is None:  # the rules changed since it was held: say what is wrong now
        return _page(form, 200, token=token)
    same = queries.same_name_and_birth(
        given_name=args["given_name"],
        family_name=args["family_name"],
        date_of_birth=args["date_of_birth"],
    )
    same_ids = {p.id for p in same}
    likely = [
        c
        for c in queries.find_likely_duplicates(
            given_name=args["given_name"],
            family_name=args["family_name"],
            date_of_birth=args["date_of_birth"],
            nhs_number=args.get("nhs_number"),
            postcode=args.get("postcode"),
        )
        if c.person.id not in same_ids
    ]
    if same:
        queries.record_identities_shown(_me(), [*same, *(c.person for c in likely)])
        # The reason box answers for the records shown now.
        form.not_the_same_person_as.data = [p.id for p in same]
    else:
        errors.pop("reason", None)
        if likely:
            queries.record_duplicates_shown(_me(), likely)
    attach_errors(form, errors)
    return _page(form, 200, candidates=likely, same=same, token=token)


def _page(
    form: RegisterForm,
    status: int,
    *,
    candidates: list | None = None,
    same: list | None = None,
    token: str | None = None,
    gone: str | None = None,
):
    return flask.render_template(
        "people/register.html",
        form=form,
        candidates=candidates or [],
        same=same or [],
        held_token=token,
        gone=gone,
    ), status
