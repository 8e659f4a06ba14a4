"""Admin pages: upload a file, the import history with each run's summary and error
report, and the queue of held rows (link, create new, reject)."""

from __future__ import annotations

import flask
from werkzeug.utils import secure_filename

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, permission_required
from caremap.core.rows import get_or_404
from caremap.imports import operations, queries
from caremap.imports.enums import ImportKind
from caremap.imports.events_import import import_events
from caremap.imports.forms import CreateForm, LinkForm, RejectForm, UploadForm
from caremap.imports.models import HeldMatch, ImportRun
from caremap.imports.people_import import import_people
from caremap.imports.schemas import CreateArgs, LinkArgs, RejectArgs
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("imports", __name__, url_prefix="/admin/imports", template_folder="templates")


def _index(form: UploadForm, status: int = 200):
    return flask.render_template(
        "imports/index.html",
        form=form,
        runs=queries.recent_runs(),
        waiting=queries.count_waiting(),
    ), status


@bp.get("")
@permission_required(can_administer)
def index():
    return _index(UploadForm(formdata=None))


@bp.post("")
@permission_required(can_administer)
def upload():
    form = UploadForm()
    upload = flask.request.files.get("file")
    if not form.validate():
        return _index(form, 422)
    if upload is None or not upload.filename:
        form.file.errors = ["Choose a CSV file to import"]
        return _index(form, 422)
    importer = import_people if form.kind.data == ImportKind.PEOPLE.value else import_events
    run = importer(
        actor=_me(), file=upload.stream, filename=secure_filename(upload.filename) or "upload.csv"
    )
    if run.refusal:
        flask.flash(f"The file was refused: {run.refusal}", "error")
    else:
        flask.flash("Imported.", "success")
    return flask.redirect(flask.url_for("imports.run_page", run_id=run.id))


@bp.get("/<int:run_id>")
@permission_required(can_administer)
def run_page(run_id: int):
    run = get_or_404(ImportRun, run_id)
    return flask.render_template(
        "imports/run.html", run=run, problems=queries.problems_of(run, limit=100)
    )


@bp.get("/<int:run_id>/problems.csv")
@permission_required(can_administer)
def problems_csv(run_id: int):
    run = get_or_404(ImportRun, run_id)
    name = f"import-{run.id}-problems.csv"
    return flask.Response(
        flask.stream_with_context(queries.problem_report(run)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _held_page(status: int = 200, **forms):
    held = queries.waiting_held()
    candidates = queries.candidates_of(held)
    # The page shows the identities of the records each row may be: a read, kept.
    audit.record_reads(_me(), "imports.held_shown", sorted(candidates))
    return flask.render_template(
        "imports/held.html",
        held=held,
        candidates=candidates,
        failed=forms,
    ), status


@bp.get("/held")
@permission_required(can_administer)
def held_queue():
    return _held_page()


def _decide(held_id: int, form, args_schema, operate, done: str):
    held = get_or_404(HeldMatch, held_id)
    return handle_form_post(
        form,
        args_schema,
        lambda args: operate(held, args),
        done=done,
        redirect_to=lambda _: flask.url_for("imports.held_queue"),
        page=lambda status: _held_page(status, held_id=held.id, form=form),
    )


@bp.post("/held/<int:held_id>/link")
@permission_required(can_administer)
def link(held_id: int):
    return _decide(
        held_id,
        LinkForm(),
        LinkArgs(),
        lambda held, args: operations.link_held(actor=_me(), held=held, **args),
        "Linked to the existing record.",
    )


@bp.post("/held/<int:held_id>/create")
@permission_required(can_administer)
def create(held_id: int):
    return _decide(
        held_id,
        CreateForm(),
        CreateArgs(),
        lambda held, args: operations.create_from_held(
            actor=_me(), held=held, version=args["version"], reason=args.get("reason")
        ),
        "Created a new record.",
    )


@bp.post("/held/<int:held_id>/reject")
@permission_required(can_administer)
def reject(held_id: int):
    return _decide(
        held_id,
        RejectForm(),
        RejectArgs(),
        lambda held, args: operations.reject_held(actor=_me(), held=held, **args),
        "Rejected.",
    )
