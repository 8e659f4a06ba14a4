"""Pages for the single point of access: refer (with a preview), a referral and its
actions, a service's queue, and episodes of care."""

from __future__ import annotations

from itertools import groupby

import flask
import sqlalchemy as sa
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from caremap.access.policy import Access
from caremap.auth.current import actor as _me
from caremap.careteam.operations import suggest_key_workers
from caremap.catalogue import queries as catalogue_queries
from caremap.catalogue.models import Service
from caremap.core.db import utcnow
from caremap.core.errors import DomainError, NotFoundError
from caremap.core.extensions import db
from caremap.episodes.forms import Day91Form, EndEpisodeForm, StartEpisodeForm
from caremap.episodes.models import Episode
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.flags import flags_for
from caremap.people import queries as people_queries
from caremap.people.chronology import chronology
from caremap.people.loader import load_person
from caremap.referrals import chronology as _chronology  # noqa: F401  (registers entries)
from caremap.referrals import operations, queries
from caremap.referrals.access import load_referral, require_receiving_service
from caremap.referrals.api import preview_payload
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.flows import allowed_next
from caremap.referrals.forms import AcceptForm, CloseForm, DeclineForm, RedirectForm, ReferralForm
from caremap.referrals.schemas import AcceptArgs, CloseArgs, DeclineArgs, RedirectArgs, ReferralArgs
from caremap.routing.engine import withhold_open_services
from caremap.ui.forms import attach_domain_error, validate_form

bp = flask.Blueprint("referrals", __name__, template_folder="templates")


def _need_choices() -> list[SelectChoice]:
    return [SelectChoice(n.code, n.label) for n in catalogue_queries.all_needs()]


@bp.route("/people/<int:person_id>/refer", methods=["GET", "POST"])
@login_required
def refer(person_id: int):
    """Anyone who can find a person can refer them: the story is told once, here."""
    loaded = load_person(person_id, user=_me(), action="referrals.refer", need=Access.IDENTITY)
    person = loaded.person
    form = ReferralForm()
    form.needs.choices = _need_choices()
    if not form.is_submitted():
        form.referrer_name.data = _me().full_name
        form.referrer_organisation.data = _me().team.name
        form.referrer_contact.data = _me().email
        return _refer_page(loaded, form)
    args = validate_form(
        form, ReferralArgs(), exclude={"preview", "send"}, extra={"person_id": person.id}
    )
    if args is None:
        return _refer_page(loaded, form, status=422)
    try:
        if form.preview.data:
            facts, routes = operations.preview_routes(person=person, args=args)
            return _refer_page(
                loaded, form, preview=preview_payload(facts, routes, full=loaded.full)
            )
        submission, created = operations.submit_referral(
            actor=_me(),
            person=person,
            args=args,
            idempotency_key=flask.request.form.get("idempotency_key"),
        )
    except DomainError as error:
        attach_domain_error(form, error)
        return _refer_page(loaded, form, status=422)
    names = ", ".join(r.service.name for r in submission.referrals)
    flask.flash(
        f"Referral sent to {names}." if created else f"This referral was already sent to {names}.",
        "success",
    )
    return flask.redirect(flask.url_for("referrals.view", referral_id=submission.referrals[0].id))


def _refer_page(loaded, form, *, status: int = 200, preview=None):
    import secrets

    needs_by_group = {
        g: list(items) for g, items in groupby(catalogue_queries.all_needs(), key=lambda n: n.group)
    }
    return (
        flask.render_template(
            "referrals/refer.html",
            person=loaded.person,
            access=loaded.access,
            glass=loaded.break_glass,
            flags=flags_for(loaded.person),
            form=form,
            preview=preview,
            needs_by_group=needs_by_group,
            idempotency_key=flask.request.form.get("idempotency_key") or secrets.token_urlsafe(16),
        ),
        status,
    )


@bp.get("/referrals/<int:referral_id>")
@login_required
def view(referral_id: int):
    return _referral_page(load_referral(referral_id, user=_me()))


def _referral_page(loaded, *, status: int = 200, **forms):
    referral = loaded.referral
    decisions = [
        {
            "kind": d.kind,
            "explanation": d.explanation if loaded.full else withhold_open_services(d.explanation),
        }
        for d in referral.decisions
    ]
    context = {
        "referral": referral,
        "loaded": loaded,
        "allowed": allowed_next(referral.status),
        "decisions": decisions,
    }
    if loaded.full:
        person = loaded.person.person
        can_act = _me().is_admin or _me().team.service_id == referral.service_id
        services = db.session.scalars(
            sa.select(Service).where(Service.is_active.is_(True)).order_by(Service.name)
        )
        redirect_form = forms.get("redirect_form") or RedirectForm(
            formdata=None, version=referral.version
        )
        redirect_form.service.choices = [
            SelectChoice("", "Where the rules send it (without this service)")
        ] + [SelectChoice(s.code, s.name) for s in services if s.id != referral.service_id]
        episode = db.session.scalar(sa.select(Episode).where(Episode.referral_id == referral.id))
        accept_form = forms.get("accept_form") or AcceptForm(
            formdata=None, version=referral.version
        )
        allocates = bool(operations.routing_actions(referral).get("allocate_key_worker"))
        if allocates:
            accept_form.key_worker_id.choices = [
                SelectChoice("", "Me, or else the smallest caseload")
            ] + [
                SelectChoice(str(w.id), f"{w.full_name} ({n} people)")
                for w, n in suggest_key_workers(service=referral.service)
            ]
        context.update(
            person=person,
            access=loaded.person.access,
            glass=loaded.person.break_glass,
            flags=flags_for(person),
            can_act=can_act,
            story=people_queries.current_story(person),
            consent=people_queries.current_consent(person),
            entries=chronology(person)[:30],
            episode=episode,
            accept_form=accept_form,
            allocates_key_worker=allocates,
            decline_form=forms.get("decline_form")
            or DeclineForm(formdata=None, version=referral.version),
            redirect_form=redirect_form,
            close_form=forms.get("close_form")
            or CloseForm(formdata=None, version=referral.version),
            episode_form=forms.get("episode_form")
            or StartEpisodeForm(
                formdata=None,
                started_on=utcnow().date(),
                kind=operations.routing_actions(referral).get("episode_kind") or "general",
            ),
            end_form=forms.get("end_form")
            or EndEpisodeForm(formdata=None, version=episode.version if episode else None),
            day91_form=forms.get("day91_form")
            or Day91Form(formdata=None, version=episode.version if episode else None),
            form=next((f for f in forms.values() if f.errors), None),
        )
    return flask.render_template("referrals/referral.html", **context), status


def _acting(referral_id: int, action: str):
    loaded = load_referral(referral_id, user=_me(), action=action)
    if not loaded.full:
        raise NotFoundError()
    require_receiving_service(_me(), loaded.referral)
    return loaded


def _act(referral_id: int, action: str, form_class, args_schema, form_name: str, operation):
    loaded = _acting(referral_id, action)
    form = form_class()
    if form_class is RedirectForm:
        form.service.choices = [SelectChoice("", "")] + [
            SelectChoice(s.code, s.name) for s in db.session.scalars(sa.select(Service))
        ]
    args = validate_form(form, args_schema)
    if args is not None:
        try:
            result = operation(loaded.referral, args)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            return flask.redirect(
                flask.url_for("referrals.view", referral_id=getattr(result, "id", referral_id))
            )
    return _referral_page(loaded, status=422, **{form_name: form})


@bp.post("/referrals/<int:referral_id>/accept")
@login_required
def accept(referral_id: int):
    def run(referral, args):
        flask.flash("Accepted. Start the episode of care when the work begins.", "success")
        return operations.accept_referral(
            actor=_me(),
            referral=referral,
            version=args["version"],
            key_worker_id=int(args["key_worker_id"]) if args.get("key_worker_id") else None,
        )

    return _act(referral_id, "referrals.accept", AcceptForm, AcceptArgs(), "accept_form", run)


@bp.post("/referrals/<int:referral_id>/decline")
@login_required
def decline(referral_id: int):
    def run(referral, args):
        flask.flash("Declined. The referrer can see your reason.", "success")
        return operations.decline_referral(actor=_me(), referral=referral, **args)

    return _act(referral_id, "referrals.decline", DeclineForm, DeclineArgs(), "decline_form", run)


@bp.post("/referrals/<int:referral_id>/redirect")
@login_required
def redirect(referral_id: int):
    def run(referral, args):
        onward = operations.redirect_referral(
            actor=_me(),
            referral=referral,
            version=args["version"],
            reason=args["reason"],
            service_code=args["service"] or None,
        )
        flask.flash(f"Redirected to {onward.service.name}.", "success")
        return onward

    return _act(
        referral_id, "referrals.redirect", RedirectForm, RedirectArgs(), "redirect_form", run
    )


@bp.post("/referrals/<int:referral_id>/close")
@login_required
def close(referral_id: int):
    def run(referral, args):
        flask.flash("The referral is closed.", "success")
        return operations.close_referral(actor=_me(), referral=referral, **args)

    return _act(referral_id, "referrals.close", CloseForm, CloseArgs(), "close_form", run)


@bp.post("/referrals/<int:referral_id>/episode")
@login_required
def start_episode(referral_id: int):
    def run(referral, args):
        operations.begin_episode(actor=_me(), referral=referral, details=args)
        flask.flash("The episode of care has started.", "success")
        return referral

    return _act(
        referral_id,
        "referrals.start_episode",
        StartEpisodeForm,
        StartEpisodeArgs(),
        "episode_form",
        run,
    )


@bp.get("/queue")
@login_required
def my_queue():
    return flask.redirect(flask.url_for("referrals.queue", code=_me().team.service.code))


QUEUE_PAGE = 50


@bp.get("/services/<code>/queue")
@login_required
def queue(code: str):
    service = db.session.scalar(sa.select(Service).where(Service.code == code))
    if service is None or not (_me().is_admin or _me().team.service_id == service.id):
        raise NotFoundError()
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
