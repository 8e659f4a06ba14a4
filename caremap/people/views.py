"""Pages for finding, registering, reading and editing a person's record.

Every handler runs parse → authorise (through `load_person`) → operate → respond.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

import flask
import sqlalchemy as sa
from flask_login import login_required
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer

from caremap.access import operations as access_operations
from caremap.access.forms import BreakGlassForm
from caremap.access.policy import Access
from caremap.access.schemas import BreakGlassArgs
from caremap.audit.operations import jsonable
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_break_glass, can_merge_records
from caremap.catalogue.models import Strand
from caremap.core import clock
from caremap.core.errors import DomainError, ForbiddenError, StaleVersionError
from caremap.core.extensions import db
from caremap.core.schemas import ArgsSchema
from caremap.people import operations, queries, registering
from caremap.people.chronology import chronology
from caremap.people.forms import (
    ConsentForm,
    EditIdentityForm,
    MergeForm,
    RelatedPersonForm,
    SearchForm,
    StoryForm,
)
from caremap.people.loader import load_person
from caremap.people.log_words import in_words
from caremap.people.pages import person_page
from caremap.people.queries import access_log
from caremap.people.schemas import (
    ConsentArgs,
    MergeArgs,
    PersonSearchArgs,
    RelatedPersonArgs,
    StoryArgs,
    update_identity_args,
)
from caremap.people.search import search_page_and_record
from caremap.people.sections import record_sections
from caremap.people.typed_query import read_typed_query
from caremap.ui.forms import attach_errors, handle_form_post, validate_form

bp = flask.Blueprint("people", __name__, url_prefix="/people", template_folder="templates")


def _record_url(person_id: int) -> str:
    return flask.url_for("people.view", person_id=person_id)


@bp.get("/search")
@login_required
def search():
    """The one box, read by what was typed; results a page at a time with the true total."""
    form = SearchForm(flask.request.args)
    asked = {k: v for k, v in flask.request.args.items() if k not in ("page", "submit") and v}
    if not asked:
        return flask.render_template("people/search.html", form=form, found=None)
    typed = read_typed_query(form.q.data)
    if typed.error:
        form.validate()
        attach_errors(form, {"q": [typed.error]})
        return flask.render_template("people/search.html", form=form, found=None), 422
    args = validate_form(form, PersonSearchArgs(), extra={"q": None, **typed.criteria})
    if args is None:
        return flask.render_template("people/search.html", form=form, found=None), 422
    size = flask.current_app.config["SEARCH_LIMIT"]
    page_number = _page_number()
    found = search_page_and_record(
        actor=_me(), criteria=args, limit=size, offset=(page_number - 1) * size
    )
    return flask.render_template(
        "people/search.html",
        form=form,
        found=found,
        described=typed.described or "matching",
        pages=_pagination(found, page_number, size),
        refine=found.total > flask.current_app.config.get("SEARCH_REFINE_OVER", REFINE_OVER),
    )


# Past this many matches a list is no longer read; the page says how to narrow it
# (SEARCH_REFINE_OVER in the settings changes it).
REFINE_OVER = 100


def _page_number() -> int:
    raw = flask.request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() else 1


def _pagination(found, page_number: int, size: int) -> dict[str, Any] | None:
    """GOV.UK pagination: previous, next, and the page numbers around this one."""
    last_page = max((found.total + size - 1) // size, 1)
    if last_page == 1:
        return None

    def href(number: int) -> str:
        return flask.url_for(
            "people.search",
            **{k: v for k, v in flask.request.args.items() if k != "page"},
            page=number,
        )

    around = range(max(page_number - 1, 1), min(page_number + 1, last_page) + 1)
    shown = sorted({1, last_page, *around})
    items: list[dict[str, Any]] = []
    for before, number in zip([0, *shown], shown, strict=False):
        if before and number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page_number})
    pages: dict[str, Any] = {"items": items, "landmarkLabel": "Pages of results"}
    if page_number > 1:
        pages["previous"] = {"href": href(page_number - 1)}
    if page_number < last_page:
        pages["next"] = {"href": href(page_number + 1)}
    return pages


# Register a person: post/redirect/get, a likely duplicate held server side (registering).
bp.add_url_rule("/new", "register", login_required(registering.register), methods=["GET", "POST"])


@bp.get("/<int:person_id>")
@login_required
def view(person_id: int):
    loaded = load_person(person_id, user=_me(), need=Access.IDENTITY)
    checks = queries.identity_checks_and_record(actor=_me(), person=loaded.person)
    if not loaded.full:
        return person_page("people/identity_only.html", loaded, identity_checks=checks)
    person = loaded.person
    strand = flask.request.args.get("strand") or None
    ids = queries.record_ids(person)
    strands = db.session.execute(sa.select(Strand.code, Strand.name).order_by(Strand.name)).all()
    return person_page(
        "people/record.html",
        loaded,
        story=queries.current_story(person),
        consent=queries.current_consent(person),
        related=queries.related_people(person),
        sections=record_sections(person, ids),
        entries=chronology(person, strand=strand, ids=ids),
        strands=strands,
        strand=strand,
        identity_checks=checks,
    )


def _identity_base(person) -> str:
    snapshot = {key: jsonable(getattr(person, key)) for key in operations.IDENTITY_FIELDS}
    return URLSafeSerializer(flask.current_app.secret_key, salt="identity-base").dumps(snapshot)


def _read_identity_base(token: str | None) -> dict:
    try:
        return URLSafeSerializer(flask.current_app.secret_key, salt="identity-base").loads(
            token or ""
        )
    except BadSignature:
        flask.abort(400)


@bp.route("/<int:person_id>/identity", methods=["GET", "POST"])
@login_required
def edit_identity(person_id: int):
    """Only the fields the editor changed are saved, so two people editing different
    fields never undo each other; a stale save is refused and shown, losing nothing."""
    loaded = load_person(person_id, user=_me(), action="people.edit_identity")
    person = loaded.person
    if flask.request.method == "GET":
        form = EditIdentityForm(obj=person)
        form.base.data = _identity_base(person)
        return person_page("people/edit_identity.html", loaded, form=form)
    form = EditIdentityForm()
    base = _read_identity_base(form.base.data)
    changes: dict[str, Any] = {}

    def save(args: dict[str, Any]):
        version = args.pop("version")
        changes.update({k: v for k, v in args.items() if jsonable(v) != base.get(k)})
        return operations.update_identity(
            actor=_me(), person=person, changes=changes, version=version
        )

    def stale(error: DomainError):
        # Show the record as it is now with this editor's changes on top; saving
        # again applies only their changes.
        if not isinstance(error, StaleVersionError):
            return None
        db.session.refresh(person)
        now = EditIdentityForm(formdata=None, obj=person)
        for key, value in changes.items():
            now[key].data = value
        now.version.data = person.version
        now.base.data = _identity_base(person)
        return person_page(
            "people/edit_identity.html", loaded, 409, form=now, conflict=error.message
        )

    return handle_form_post(
        form,
        update_identity_args(),
        save,
        exclude={"base"},
        done="The identity details were saved.",
        redirect_to=lambda _: _record_url(person.id),
        page=lambda status: person_page(
            "people/edit_identity.html", loaded, status, form=form, conflict=None
        ),
        refused=stale,
    )


def _add_version(
    person_id: int,
    *,
    action: str,
    template: str,
    form_class: type[FlaskForm],
    shown: Callable[[Any], dict[str, Any]],
    schema: ArgsSchema,
    latest_of: Callable[[Any], Any],
    history_of: Callable[[Any], list],
    add: Callable[..., Any],
    done: str,
):
    """My story and consent keep every version: a post adds one on top of the version its
    writer was shown, and one written on an older version is shown again (409) beside the
    newest, losing nothing."""
    loaded = load_person(person_id, user=_me(), action=action)
    person = loaded.person
    latest = latest_of(person)
    history = history_of(person)
    based_on = latest.id if latest else None

    def page(status: int, form: FlaskForm, **conflict: Any):
        return person_page(
            template, loaded, status, form=form, latest=latest, history=history, **conflict
        )

    if flask.request.method == "GET":
        return page(200, form_class(data={**shown(latest), "based_on_id": based_on}))
    form = form_class()

    def stale(error: DomainError):
        if not isinstance(error, StaleVersionError):
            return None
        form.based_on_id.data = based_on
        return page(409, form, conflict=error.message)

    return handle_form_post(
        form,
        schema,
        lambda args: add(actor=_me(), person=person, **args),
        done=done,
        redirect_to=lambda _: _record_url(person.id),
        page=lambda status: page(status, form, conflict=None),
        refused=stale,
    )


@bp.route("/<int:person_id>/story", methods=["GET", "POST"])
@login_required
def edit_story(person_id: int):
    return _add_version(
        person_id,
        action="people.edit_story",
        template="people/story.html",
        form_class=StoryForm,
        shown=lambda latest: {"text": latest.text if latest else ""},
        schema=StoryArgs(),
        latest_of=queries.current_story,
        history_of=queries.story_history,
        add=operations.add_story_version,
        done="My story was saved. Earlier versions are kept.",
    )


@bp.route("/<int:person_id>/consent", methods=["GET", "POST"])
@login_required
def edit_consent(person_id: int):
    return _add_version(
        person_id,
        action="people.edit_consent",
        template="people/consent.html",
        form_class=ConsentForm,
        shown=lambda latest: {},
        schema=ConsentArgs(),
        latest_of=queries.current_consent,
        history_of=queries.consent_history,
        add=operations.record_consent,
        done="The consent decision was recorded.",
    )


@bp.route("/<int:person_id>/carers/new", methods=["GET", "POST"])
@login_required
def add_related(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.add_related_person")
    form = RelatedPersonForm()
    if not form.is_submitted():
        return person_page("people/related.html", loaded, form=form)
    return handle_form_post(
        form,
        RelatedPersonArgs(),
        lambda args: operations.add_related_person(actor=_me(), person=loaded.person, details=args),
        done=lambda related: f"{related.name} was added.",
        redirect_to=lambda _: _record_url(person_id),
        page=lambda status: person_page("people/related.html", loaded, status, form=form),
    )


@bp.route("/<int:person_id>/merge", methods=["GET", "POST"])
@login_required
def merge(person_id: int):
    # Refused before the record is read: the answer is the same for every record.
    if not can_merge_records(_me()):
        raise ForbiddenError(operations.MERGE_REFUSED, field="duplicate_id")
    loaded = load_person(person_id, user=_me(), action="people.merge_review")
    form = MergeForm(flask.request.form if flask.request.method == "POST" else flask.request.args)
    duplicate_id = form.duplicate_id.data
    duplicate = None
    if duplicate_id:
        duplicate = load_person(duplicate_id, user=_me(), action="people.merge_review").person
    if flask.request.method == "GET" or duplicate is None:
        candidates = queries.find_likely_duplicates(
            given_name=loaded.person.given_name,
            family_name=loaded.person.family_name,
            date_of_birth=loaded.person.date_of_birth,
            nhs_number=loaded.person.nhs_number,
            postcode=loaded.person.postcode,
            exclude_id=loaded.person.id,
        )
        return person_page(
            "people/merge.html", loaded, form=form, duplicate=duplicate, candidates=candidates
        )
    return handle_form_post(
        form,
        MergeArgs(),
        lambda args: operations.merge_people(
            actor=_me(), survivor=loaded.person, duplicate=duplicate, reason=args["reason"]
        ),
        done=lambda _: (
            f"The records were merged. {duplicate.display_name}'s record now points here."
        ),
        redirect_to=lambda _: _record_url(person_id),
        page=lambda status: person_page(
            "people/merge.html", loaded, status, form=form, duplicate=duplicate, candidates=[]
        ),
    )


@bp.get("/<int:person_id>/access-log")
@login_required
def access_history(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.view_access_log")
    page = max(flask.request.args.get("page", 1, type=int), 1)
    events, total = access_log(loaded.person, page=page)
    # Newest first, grouped by the city's day: "Kim Keyworker opened the record".
    days = [
        (day, [(event, in_words(event.action, event.changed_fields)) for event in group])
        for day, group in groupby(events, key=lambda event: clock.local_date(event.at))
    ]
    return person_page(
        "people/access_log.html", loaded, days=days, total=total, page=page, per_page=50
    )


@bp.route("/<int:person_id>/break-glass", methods=["GET", "POST"])
@login_required
def break_glass(person_id: int):
    loaded = load_person(
        person_id, user=_me(), action="access.break_glass_request", need=Access.IDENTITY
    )
    if loaded.full or not can_break_glass(_me()):
        return flask.redirect(_record_url(person_id))
    form = BreakGlassForm()
    if not form.is_submitted():
        return person_page("people/break_glass.html", loaded, form=form)
    return handle_form_post(
        form,
        BreakGlassArgs(),
        lambda args: access_operations.break_glass(
            actor=_me(), person=loaded.person, reason=args["reason"]
        ),
        done=None,
        redirect_to=lambda _: _record_url(person_id),
        page=lambda status: person_page("people/break_glass.html", loaded, status, form=form),
    )
