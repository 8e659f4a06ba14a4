"""Pages for finding, registering, reading and editing a person's record.

Every handler runs parse → authorise (through `load_person`) → operate → respond.
"""

from __future__ import annotations

import flask
import sqlalchemy as sa
from flask_login import login_required
from itsdangerous import BadSignature, URLSafeSerializer

from caremap import audit
from caremap.access import operations as access_operations
from caremap.access.forms import BreakGlassForm
from caremap.access.policy import Access, may_break_glass
from caremap.access.schemas import BreakGlassArgs
from caremap.audit.operations import jsonable
from caremap.auth.current import actor as _me
from caremap.catalogue.models import Strand
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.flags import flags_for
from caremap.people import operations, queries
from caremap.people.chronology import chronology
from caremap.people.forms import (
    ConsentForm,
    EditIdentityForm,
    MergeForm,
    RegisterForm,
    RelatedPersonForm,
    SearchForm,
    StoryForm,
)
from caremap.people.loader import load_person
from caremap.people.queries import access_log
from caremap.people.schemas import (
    ConsentArgs,
    MergeArgs,
    PersonSearchArgs,
    RegisterPersonArgs,
    RelatedPersonArgs,
    StoryArgs,
    update_identity_args,
)
from caremap.people.sections import record_sections
from caremap.ui.forms import attach_domain_error, validate_form

bp = flask.Blueprint("people", __name__, url_prefix="/people", template_folder="templates")


def _page(template: str, loaded, status: int = 200, **context):
    """A page about one person: always with the same header and flags."""
    return (
        flask.render_template(
            template,
            person=loaded.person,
            access=loaded.access,
            glass=loaded.break_glass,
            flags=flags_for(loaded.person),
            **context,
        ),
        status,
    )


@bp.get("/search")
@login_required
def search():
    form = SearchForm(flask.request.args)
    results = None
    status = 200
    if flask.request.args:
        args = validate_form(form, PersonSearchArgs())
        if args is None:
            status = 422
        else:
            results = queries.search_people(**args, limit=flask.current_app.config["SEARCH_LIMIT"])
            audit.record(
                _me(),
                "people.search",
                changes={
                    "criteria": sorted(k for k, v in args.items() if v),
                    "results": [p.id for p in results],
                },
                is_read=True,
            )
    return flask.render_template("people/search.html", form=form, results=results), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def register():
    form = RegisterForm()
    candidates = []
    if not form.is_submitted():
        return flask.render_template("people/register.html", form=form, candidates=candidates)
    args = validate_form(form, RegisterPersonArgs())
    if args is not None:
        try:
            person = operations.register_person(actor=_me(), details=args)
        except operations.PossibleDuplicatesError as error:
            candidates = error.candidates
            audit.record(
                _me(),
                "people.duplicates_shown",
                changes={"candidates": [c.person.id for c in candidates]},
                is_read=True,
            )
            return flask.render_template(
                "people/register.html", form=form, candidates=candidates
            ), 409
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(f"{person.display_name} is registered.", "success")
            return flask.redirect(flask.url_for("people.view", person_id=person.id))
    return flask.render_template("people/register.html", form=form, candidates=candidates), 422


@bp.get("/<int:person_id>")
@login_required
def view(person_id: int):
    loaded = load_person(person_id, user=_me(), need=Access.IDENTITY)
    if not loaded.full:
        return _page("people/identity_only.html", loaded)
    person = loaded.person
    strand = flask.request.args.get("strand") or None
    ids = queries.record_ids(person)
    strands = db.session.execute(sa.select(Strand.code, Strand.name).order_by(Strand.name)).all()
    return _page(
        "people/record.html",
        loaded,
        story=queries.current_story(person),
        consent=queries.current_consent(person),
        related=queries.related_people(person),
        sections=record_sections(person, ids),
        entries=chronology(person, strand=strand, ids=ids),
        strands=strands,
        strand=strand,
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
        return _page("people/edit_identity.html", loaded, form=form)
    form = EditIdentityForm()
    base = _read_identity_base(form.base.data)
    args = validate_form(form, update_identity_args(), exclude={"base"})
    conflict = None
    if args is not None:
        version = args.pop("version")
        changes = {k: v for k, v in args.items() if jsonable(v) != base.get(k)}
        try:
            operations.update_identity(actor=_me(), person=person, changes=changes, version=version)
        except StaleVersionError as error:
            # Show the record as it is now with this editor's changes on top; saving
            # again applies only their changes.
            conflict = error.message
            db.session.refresh(person)
            form = EditIdentityForm(formdata=None, obj=person)
            for key, value in changes.items():
                form[key].data = value
            form.version.data = person.version
            form.base.data = _identity_base(person)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash("The identity details were saved.", "success")
            return flask.redirect(flask.url_for("people.view", person_id=person.id))
    return _page(
        "people/edit_identity.html", loaded, 409 if conflict else 422, form=form, conflict=conflict
    )


@bp.route("/<int:person_id>/story", methods=["GET", "POST"])
@login_required
def edit_story(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.edit_story")
    person = loaded.person
    latest = queries.current_story(person)
    history = queries.story_history(person)
    if flask.request.method == "GET":
        form = StoryForm(
            data={
                "text": latest.text if latest else "",
                "based_on_id": latest.id if latest else None,
            }
        )
        return _page("people/story.html", loaded, form=form, latest=latest, history=history)
    form = StoryForm()
    args = validate_form(form, StoryArgs())
    conflict = None
    if args is not None:
        try:
            operations.add_story_version(actor=_me(), person=person, **args)
        except StaleVersionError as error:
            conflict = error.message
            form.based_on_id.data = latest.id if latest else None
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash("My story was saved. Earlier versions are kept.", "success")
            return flask.redirect(flask.url_for("people.view", person_id=person.id))
    return _page(
        "people/story.html",
        loaded,
        409 if conflict else 422,
        form=form,
        latest=latest,
        history=history,
        conflict=conflict,
    )


@bp.route("/<int:person_id>/consent", methods=["GET", "POST"])
@login_required
def edit_consent(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.edit_consent")
    person = loaded.person
    latest = queries.current_consent(person)
    history = queries.consent_history(person)
    if flask.request.method == "GET":
        form = ConsentForm(data={"based_on_id": latest.id if latest else None})
        return _page("people/consent.html", loaded, form=form, latest=latest, history=history)
    form = ConsentForm()
    args = validate_form(form, ConsentArgs())
    conflict = None
    if args is not None:
        try:
            operations.record_consent(actor=_me(), person=person, **args)
        except StaleVersionError as error:
            conflict = error.message
            form.based_on_id.data = latest.id if latest else None
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash("The consent decision was recorded.", "success")
            return flask.redirect(flask.url_for("people.view", person_id=person.id))
    return _page(
        "people/consent.html",
        loaded,
        409 if conflict else 422,
        form=form,
        latest=latest,
        history=history,
        conflict=conflict,
    )


@bp.route("/<int:person_id>/carers/new", methods=["GET", "POST"])
@login_required
def add_related(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.add_related_person")
    form = RelatedPersonForm()
    if not form.is_submitted():
        return _page("people/related.html", loaded, form=form)
    args = validate_form(form, RelatedPersonArgs())
    if args is not None:
        operations.add_related_person(actor=_me(), person=loaded.person, details=args)
        flask.flash(f"{args['name']} was added.", "success")
        return flask.redirect(flask.url_for("people.view", person_id=person_id))
    return _page("people/related.html", loaded, 422, form=form)


@bp.route("/<int:person_id>/merge", methods=["GET", "POST"])
@login_required
def merge(person_id: int):
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
        return _page(
            "people/merge.html", loaded, form=form, duplicate=duplicate, candidates=candidates
        )
    args = validate_form(form, MergeArgs())
    if args is not None:
        try:
            operations.merge_people(
                actor=_me(), survivor=loaded.person, duplicate=duplicate, reason=args["reason"]
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(
                f"The records were merged. {duplicate.display_name}'s record now points here.",
                "success",
            )
            return flask.redirect(flask.url_for("people.view", person_id=person_id))
    return _page("people/merge.html", loaded, 422, form=form, duplicate=duplicate, candidates=[])


@bp.get("/<int:person_id>/access-log")
@login_required
def access_history(person_id: int):
    loaded = load_person(person_id, user=_me(), action="people.view_access_log")
    page = max(flask.request.args.get("page", 1, type=int), 1)
    events, total = access_log(loaded.person, page=page)
    return _page(
        "people/access_log.html", loaded, events=events, total=total, page=page, per_page=50
    )


@bp.route("/<int:person_id>/break-glass", methods=["GET", "POST"])
@login_required
def break_glass(person_id: int):
    loaded = load_person(
        person_id, user=_me(), action="access.break_glass_request", need=Access.IDENTITY
    )
    if loaded.full or not may_break_glass(_me()):
        return flask.redirect(flask.url_for("people.view", person_id=person_id))
    form = BreakGlassForm()
    status = 200
    if form.is_submitted():
        args = validate_form(form, BreakGlassArgs())
        if args is not None:
            access_operations.break_glass(actor=_me(), person=loaded.person, reason=args["reason"])
            return flask.redirect(flask.url_for("people.view", person_id=person_id))
        status = 422
    return flask.render_template(
        "people/break_glass.html",
        person=loaded.person,
        access=loaded.access,
        glass=None,
        flags=[],
        form=form,
    ), status
