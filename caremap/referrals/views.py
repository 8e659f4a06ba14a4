"""Pages for the single point of access: refer (with a preview), a referral and its
actions, a service's queue, and episodes of care."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from itertools import groupby
from typing import Any

import flask
import sqlalchemy as sa
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, permission_required
from caremap.careteam.operations import suggest_key_workers
from caremap.catalogue import queries as catalogue_queries
from caremap.catalogue.models import Service
from caremap.core.db import utcnow
from caremap.core.errors import DomainError, ForbiddenError
from caremap.core.extensions import db
from caremap.episodes.access import acts_for_service
from caremap.episodes.forms import Day91Form, EndEpisodeForm, StartEpisodeForm
from caremap.episodes.models import Episode
from caremap.people import queries as people_queries
from caremap.people.chronology import chronology
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.referrals import chronology as _chronology  # noqa: F401  (registers entries)
from caremap.referrals import need_ages, operations, queries
from caremap.referrals.access import (
    LoadedReferral,
    load_referral,
    queue_service,
    referral_to_answer,
)
from caremap.referrals.answers import ANSWERS
from caremap.referrals.api import preview_payload
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.flows import allowed_next
from caremap.referrals.forms import (
    AcceptForm,
    CloseForm,
    DeclineForm,
    FirstContactForm,
    RedirectForm,
    ReferralForm,
)
from caremap.referrals.models import Referral
from caremap.referrals.retries import KEY_FIELD
from caremap.referrals.schemas import ReferralPageArgs
from caremap.routing.engine import age_on, withhold_open_services
from caremap.routing.enums import ReferralSource
from caremap.ui import pending
from caremap.ui.forms import attach_domain_error, attach_errors, handle_form_post, validate_form

bp = flask.Blueprint("referrals", __name__, template_folder="templates")


_CODE = re.compile(r"\b[a-z][a-z0-9_]*[a-z0-9]\b")


def _routing_vocabulary() -> dict[str, str]:
    """Codes a routing explanation may name, and the words a person reads instead."""
    if "routing_vocabulary" not in flask.g:
        services = db.session.execute(sa.select(Service.code, Service.name))
        words = {code: name for code, name in services}
        words.update((s.value, s.label.lower()) for s in ReferralSource)
        # A need and a service may share a code (hospital_discharge): explanations name
        # needs far more often, so the need's words win.
        words.update((n.code, f"“{n.label}”") for n in catalogue_queries.all_needs())
        flask.g.routing_vocabulary = words
    return flask.g.routing_vocabulary


@bp.app_template_filter("routing_words")
def routing_words(fact: str) -> str:
    """A matched fact as stored ("needs include hospital_discharge") in words ("needs
    include “Leaving hospital, needs support at home”"); the stored text keeps the codes."""
    words = _routing_vocabulary()
    return _CODE.sub(lambda m: words.get(m.group(0), m.group(0)), fact)


# The strands of seed/needs.json's "group", in words, in the order the form shows them.
STRAND_NAMES = {
    "urgent": "Urgent care",
    "paediatric": "Children's urgent care (Big 6)",
    "multiple_needs": "Multiple needs",
    "physical_health": "Physical health",
    "long_term": "Long-term support",
    "medicines": "Medicines",
    "carers": "Carers",
    "wellbeing": "Wellbeing",
}


def _needs_for(loaded: LoadedPerson) -> list:
    """The needs that apply to the person at their age today (seed/need_ages.json)."""
    age = age_on(loaded.person.date_of_birth, utcnow().date())  # as operations judge it
    return [n for n in catalogue_queries.all_needs() if need_ages.applies(n.code, age)]


def _need_choices(loaded: LoadedPerson) -> list[SelectChoice]:
    return [SelectChoice(n.code, n.label) for n in _needs_for(loaded)]


@bp.route("/people/<int:person_id>/refer", methods=["GET", "POST"])
@login_required
def refer(person_id: int):
    """Anyone who can find a person can refer them: the story is told once, here.

    Post/redirect/get: a preview holds the form server side (`ui.pending`) and redirects
    (303) to the form with "check your answers" and where it would go, worked out again
    when shown; sending takes the held form, once."""
    loaded = load_person(person_id, user=_me(), action="referrals.refer", need=Access.IDENTITY)
    person = loaded.person
    # A held form is for one person: another's token names nothing here.
    kind = f"referrals.refer:{person.id}"
    token = flask.request.values.get(pending.TOKEN)
    if flask.request.method == "GET":
        if token is None:
            return _refer_page(loaded, _blank_referral_form(loaded))
        held = pending.held(token, user_id=_me().id, kind=kind)
        if held is None:  # used, expired, someone else's: all answered alike
            return _refer_page(loaded, _blank_referral_form(loaded), status=404, gone=True)
        return _held_preview(loaded, token, held)
    if token is not None and pending.take(token, user_id=_me().id, kind=kind) is None:
        flask.flash(pending.GONE)
        return flask.redirect(flask.url_for("referrals.refer", person_id=person.id), 303)
    form = ReferralForm()
    form.needs.choices = _need_choices(loaded)
    args = validate_form(
        form, ReferralPageArgs(), exclude={"preview", "send"}, extra={"person_id": person.id}
    )
    if args is None:
        return _refer_page(loaded, form, status=422, token=token)
    try:
        if form.preview.data:
            operations.preview_routes(person=person, args=args)  # its refusals go beside fields
            again = pending.hold(
                user_id=_me().id,
                kind=kind,
                payload={"fields": pending.form_payload(flask.request.form)},
                token=token,
            )
            return flask.redirect(
                flask.url_for("referrals.refer", person_id=person.id, **{pending.TOKEN: again}),
                303,
            )
        submission, created = operations.submit_referral(
            actor=_me(),
            person=person,
            args=args,
            idempotency_key=flask.request.form.get("idempotency_key"),
        )
    except DomainError as error:
        if error.field != KEY_FIELD:
            attach_domain_error(form, error)
            return _refer_page(loaded, form, status=422, token=token)
        # This form was sent before with other details (the back button, then an edit).
        # Say so, and give the page a new key: sending again is then judged afresh (a new
        # referral, or the earlier one if it is the same needs received minutes apart).
        attach_errors(form, {"needs": [SENT_BEFORE]})
        return _refer_page(loaded, form, status=422, new_key=True, token=token)
    if not created:
        names = ", ".join(r.service.name for r in submission.referrals)
        flask.flash(f"This referral was already sent to {names}.", "success")
    # The confirmation panel (with each reference) shows once, on the page it lands on.
    return flask.redirect(
        flask.url_for("referrals.view", referral_id=submission.referrals[0].id, sent=1)
    )


def _blank_referral_form(loaded: LoadedPerson) -> ReferralForm:
    form = ReferralForm(formdata=None)
    form.needs.choices = _need_choices(loaded)
    form.referrer_name.data = _me().full_name
    form.referrer_organisation.data = _me().team.name
    form.referrer_contact.data = _me().email
    return form


def _held_preview(loaded: LoadedPerson, token: str, held: dict[str, Any]):
    """The held form with its preview, routed as the rules and the record are now."""
    fields = held["fields"]
    form = ReferralForm(formdata=pending.as_formdata(fields))
    form.needs.choices = _need_choices(loaded)
    key = (fields.get("idempotency_key") or [None])[0]
    args = validate_form(
        form, ReferralPageArgs(), exclude={"preview", "send"}, extra={"person_id": loaded.person.id}
    )
    preview = None
    if args is not None:
        try:
            facts, routes = operations.preview_routes(person=loaded.person, args=args)
        except DomainError as error:  # the rules changed since: say what is wrong now
            attach_domain_error(form, error)
        else:
            preview = preview_payload(facts, routes, full=loaded.full)
    return _refer_page(loaded, form, preview=preview, token=token, key=key)


SENT_BEFORE = (
    "This form was already sent, with other details: check the person's referrals. "
    "To send what is here now as well, choose Send referral again."
)


def _refer_page(
    loaded: LoadedPerson,
    form: ReferralForm,
    *,
    status: int = 200,
    preview=None,
    new_key: bool = False,
    token: str | None = None,
    key: str | None = None,
    gone: bool = False,
):
    sent_key = None if new_key else key or flask.request.form.get("idempotency_key")
    grouped = {g: list(items) for g, items in groupby(_needs_for(loaded), key=lambda n: n.group)}
    order = list(STRAND_NAMES)
    needs_by_strand = [
        (STRAND_NAMES.get(g, g.replace("_", " ").capitalize()), grouped[g])
        for g in sorted(grouped, key=lambda g: order.index(g) if g in order else len(order))
    ]
    return person_page(
        "referrals/refer.html",
        loaded,
        status,
        form=form,
        preview=preview,
        needs_by_strand=needs_by_strand,
        idempotency_key=sent_key or secrets.token_urlsafe(16),
        held_token=token,
        gone=pending.GONE if gone else None,
    )


@bp.get("/referrals/<int:referral_id>")
@login_required
def view(referral_id: int):
    return _referral_page(load_referral(referral_id, user=_me()))


def _referral_page(loaded: LoadedReferral, *, status: int = 200, **forms: FlaskForm):
    referral = loaded.referral
    decisions = [
        {
            "kind": d.kind,
            "explanation": d.explanation if loaded.full else withhold_open_services(d.explanation),
        }
        for d in referral.decisions
    ]
    made_it = referral.created_by_id == _me().id
    context = {
        "referral": referral,
        "full": loaded.full,
        "allowed": allowed_next(referral.status),
        "decisions": decisions,
        # The other services the same referral went to: its maker follows them all; a
        # receiving service sees them once it has the record (the referral shows needs).
        "parts": queries.submission_referrals(referral) if made_it or loaded.full else [],
        "links_parts": made_it,
        "just_sent": made_it and flask.request.args.get("sent") == "1",
    }
    if loaded.person is None:  # the referrer follows the referral, not the record
        return flask.render_template("referrals/referral.html", **context), status
    person = loaded.person.person
    actions = operations.routing_actions(referral)
    episode = None
    if loaded.full:  # the record: only once the service has taken the work on
        episode = db.session.scalar(sa.select(Episode).where(Episode.referral_id == referral.id))
        context.update(
            story=people_queries.current_story(person),
            consent=people_queries.current_consent(person),
            entries=chronology(person)[:30],
        )
    accept_form = forms.get("accept_form") or AcceptForm(formdata=None, version=referral.version)
    allocates = bool(actions.get("allocate_key_worker"))
    if allocates:
        accept_form.key_worker_id.choices = [
            SelectChoice("", "Me, or else the smallest caseload")
        ] + [
            SelectChoice(str(w.id), f"{w.full_name} ({n} people)")
            for w, n in suggest_key_workers(service=referral.service)
        ]
    redirect_form = forms.get("redirect_form") or RedirectForm(
        formdata=None, version=referral.version
    )
    services = db.session.scalars(
        sa.select(Service).where(Service.is_active.is_(True)).order_by(Service.name)
    )
    redirect_form.service.choices = [
        SelectChoice("", "Where the rules send it (without this service)")
    ] + [SelectChoice(s.code, s.name) for s in services if s.id != referral.service_id]
    return person_page(
        "referrals/referral.html",
        loaded.person,
        status,
        **context,
        can_act=acts_for_service(_me(), referral.service_id),
        episode=episode,
        accept_form=accept_form,
        allocates_key_worker=allocates,
        decline_form=forms.get("decline_form")
        or DeclineForm(formdata=None, version=referral.version),
        redirect_form=redirect_form,
        close_form=forms.get("close_form") or CloseForm(formdata=None, version=referral.version),
        contact_form=forms.get("contact_form")
        or FirstContactForm(formdata=None, version=referral.version),
        episode_form=forms.get("episode_form")
        or StartEpisodeForm(
            formdata=None,
            started_on=utcnow().date(),
            kind=actions.get("episode_kind") or "general",
        ),
        end_form=forms.get("end_form")
        or EndEpisodeForm(formdata=None, version=episode.version if episode else None),
        day91_form=forms.get("day91_form")
        or Day91Form(formdata=None, version=episode.version if episode else None),
        form=next((f for f in forms.values() if f.errors), None),
    )


def _answer(referral_id: int, step: str, form: FlaskForm, *, done: str | Callable[[Any], str]):
    """The receiving service answers on the page, with the API's answer (ANSWERS): then the
    referral again, or the onward one after a redirect."""
    answer = ANSWERS[step]
    loaded = referral_to_answer(referral_id, user=_me(), action=answer.action)
    return handle_form_post(
        form,
        answer.args(),
        lambda args: answer.operate(_me(), loaded.referral, args),
        done=done,
        redirect_to=lambda result: flask.url_for(
            "referrals.view",
            referral_id=result.id if isinstance(result, Referral) else referral_id,
        ),
        page=lambda status: _referral_page(loaded, status=status, **{f"{step}_form": form}),
        refused=lambda error: _forbidden(error, loaded, step, form),
    )


def _forbidden(error: DomainError, loaded: LoadedReferral, step: str, form: FlaskForm):
    """A refusal of who is answering (the referral's maker accepting it, say) is 403, as the
    API answers, with the reason on the page; other errors go beside their field (422)."""
    if not isinstance(error, ForbiddenError):
        return None
    attach_domain_error(form, error)
    return _referral_page(loaded, status=403, **{f"{step}_form": form})


@bp.post("/referrals/<int:referral_id>/accept")
@login_required
def accept(referral_id: int):
    return _answer(
        referral_id,
        "accept",
        AcceptForm(),
        done="Accepted. Start the episode of care when the work begins.",
    )


@bp.post("/referrals/<int:referral_id>/decline")
@login_required
def decline(referral_id: int):
    return _answer(
        referral_id, "decline", DeclineForm(), done="Declined. The referrer can see your reason."
    )


@bp.post("/referrals/<int:referral_id>/redirect")
@login_required
def redirect(referral_id: int):
    form = RedirectForm()
    form.service.choices = [SelectChoice("", "")] + [
        SelectChoice(s.code, s.name) for s in db.session.scalars(sa.select(Service))
    ]
    return _answer(
        referral_id, "redirect", form, done=lambda onward: f"Redirected to {onward.service.name}."
    )


@bp.post("/referrals/<int:referral_id>/close")
@login_required
def close(referral_id: int):
    return _answer(referral_id, "close", CloseForm(), done="The referral is closed.")


@bp.post("/referrals/<int:referral_id>/first-contact")
@login_required
def first_contact(referral_id: int):
    return _answer(referral_id, "contact", FirstContactForm(), done="First contact is recorded.")


@bp.post("/referrals/<int:referral_id>/episode")
@login_required
def start_episode(referral_id: int):
    return _answer(
        referral_id, "episode", StartEpisodeForm(), done="The episode of care has started."
    )


@bp.get("/referrals/mine")
@login_required
def mine():
    """Referrals I made: status, service, last change and what is overdue, newest first."""
    me = _me()
    size = MINE_PAGE
    raw = flask.request.args.get("page", "1")
    number = max(int(raw), 1) if raw.isdigit() else 1
    rows, total = queries.referrals_made_by(
        me, now=utcnow(), offset=(number - 1) * size, limit=size
    )
    # The list names each person referred: a read of each, as a queue is.
    audit.record_reads(me, "referrals.mine_view", [row.referral.person_id for row in rows])
    last_page = max((total + size - 1) // size, 1)
    return flask.render_template(
        "referrals/mine.html",
        rows=rows,
        total=total,
        first=(number - 1) * size + 1 if rows else 0,
        last=(number - 1) * size + len(rows),
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if number < last_page else None,
    )


MINE_PAGE = 25


@bp.get("/queue")
@login_required
def my_queue():
    return flask.redirect(flask.url_for("referrals.queue", code=_me().team.service.code))


QUEUE_PAGE = 50


@bp.get("/services/<code>/queue")
@login_required
def queue(code: str):
    service = queue_service(code, user=_me())
    now = utcnow()
    after = flask.request.args.get("after", type=int)
    # One page, oldest first, by keyset; one more row read tells whether a next page exists.
    items = queries.service_queue(service, now=now, after=after, limit=QUEUE_PAGE + 1)
    more, items = len(items) > QUEUE_PAGE, items[:QUEUE_PAGE]
    queries.audit_queue_read(_me(), items)  # the people shown on this page
    return flask.render_template(
        "referrals/queue.html",
        service=service,
        items=items,
        counts=queries.queue_counts(service, now=now),
        next_after=items[-1].referral.id if more else None,
        first_page=after is None,
        page_size=QUEUE_PAGE,
        ReferralStatus=ReferralStatus,
    )


@bp.get("/admin/self-routed-acceptances")
@permission_required(can_administer)
def self_routed_acceptances():
    """Acceptances of referrals made within the accepting service, for an admin's review."""
    rows = queries.self_routed_acceptances()
    audit.record_reads(_me(), "referrals.self_routed_review", [r.person_id for r in rows])
    return flask.render_template("referrals/self_routed.html", rows=rows)
