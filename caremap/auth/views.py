"""Sign-in, sign-out, your account (password, API tokens), and the admin's users pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import flask
import sqlalchemy as sa
from flask_login import current_user, login_required, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from caremap.auth import operations
from caremap.auth.current import actor as _me
from caremap.auth.forms import (
    ChangePasswordForm,
    CreateTokenForm,
    CreateUserForm,
    SignInForm,
    UpdateUserForm,
)
from caremap.auth.models import ApiToken, User
from caremap.auth.permissions import can_administer, permission_required
from caremap.auth.schemas import (
    ChangePasswordArgs,
    CreateTokenArgs,
    CreateUserArgs,
    SignInArgs,
    UpdateUserArgs,
)
from caremap.catalogue.models import Service, Team
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.ui.forms import handle_form_post, validate_form

bp = flask.Blueprint("auth", __name__, template_folder="templates")

GENERIC_FAILURE = "Enter a correct email address and password"


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target.rstrip("?")
    return flask.url_for("home.home")


def _throttled(form, until):
    """Too many failures from this source address: 429, saying when to come back."""
    seconds = max(1, int((until - utcnow()).total_seconds()))
    form.email.errors = [
        f"Too many failed sign-ins from your network. Try again in {-(-seconds // 60)} minutes"
    ]
    form.password.data = ""
    response = flask.make_response(flask.render_template("auth/sign_in.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return flask.redirect(flask.url_for("home.home"))
    form = SignInForm()
    status = 200
    if form.is_submitted():
        args = validate_form(form, SignInArgs())
        if args is not None:
            config = flask.current_app.config
            result = operations.sign_in(
                email=args["email"],
                password=args["password"],
                max_failures=config["SIGN_IN_MAX_FAILURES"],
                lock_minutes=config["SIGN_IN_LOCK_MINUTES"],
                source_address=flask.request.remote_addr,
                address_max_failures=config["SIGN_IN_ADDRESS_MAX_FAILURES"],
                address_window_minutes=config["SIGN_IN_ADDRESS_WINDOW_MINUTES"],
            )
            if result.throttled_until is not None:
                return _throttled(form, result.throttled_until)
            if result.user is not None:
                flask.session.clear()
                login_user(result.user)
                flask.session.permanent = True
                return flask.redirect(_safe_next(flask.request.args.get("next")))
            if result.locked_until is not None:
                form.email.errors = [
                    "Too many failed attempts. Wait "
                    f"{config['SIGN_IN_LOCK_MINUTES']} minutes, then try again"
                ]
            else:
                form.email.errors = [GENERIC_FAILURE]
            form.password.data = ""
        # Failed attempts are written all the same (see core.transaction).
        status = 401 if args is not None else 422
    return flask.render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@login_required
def sign_out():
    operations.sign_out(user=_me())
    logout_user()
    flask.session.clear()
    flask.flash("You have signed out.", "success")
    return flask.redirect(flask.url_for("auth.sign_in"))


@bp.get("/account")
@login_required
def account():
    return _account_page(ChangePasswordForm(), CreateTokenForm())


def _account_page(password_form, token_form, *, new_token: str | None = None, status: int = 200):
    tokens = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc())
    ).all()
    return (
        flask.render_template(
            "auth/account.html",
            password_form=password_form,
            token_form=token_form,
            tokens=tokens,
            new_token=new_token,
            form=password_form if password_form.errors else token_form,
        ),
        status,
    )


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()

    def change(args: dict) -> None:
        operations.change_password(
            user=_me(),
            current_password=args["current_password"],
            new_password=args["new_password"],
        )
        logout_user()
        flask.session.clear()

    return handle_form_post(
        form,
        ChangePasswordArgs(),
        change,
        done="Your password has changed. Sign in again with the new one.",
        redirect_to=lambda _: flask.url_for("auth.sign_in"),
        page=lambda status: _account_page(form, CreateTokenForm(formdata=None), status=status),
    )


@bp.post("/account/tokens")
@login_required
def create_token():
    form = CreateTokenForm()
    args = validate_form(form, CreateTokenArgs())
    if args is None:
        return _account_page(ChangePasswordForm(formdata=None), form, status=422)
    _, secret = operations.create_api_token(user=_me(), name=args["name"], scope=args["scope"])
    return _account_page(
        ChangePasswordForm(formdata=None), CreateTokenForm(formdata=None), new_token=secret
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        flask.abort(404)
    operations.revoke_api_token(user=_me(), token=token)
    flask.flash("The token was revoked.", "success")
    return flask.redirect(flask.url_for("auth.account"))


def _team_choices() -> list[SelectChoice]:
    teams = db.session.scalars(
        sa.select(Team)
        .join(Team.service)
        .where(Team.is_active.is_(True))
        .order_by(Service.name, Team.name)
    )
    return [SelectChoice(team.code, team.label) for team in teams]


USERS_PAGE = 25


def _users_page(create_form: CreateUserForm, status: int = 200, **context):
    """Staff a page at a time, narrowed by a name, email or team typed in the box."""
    typed = (flask.request.args.get("q") or "").strip()[:100]
    raw = flask.request.args.get("page", "1")
    number = max(int(raw), 1) if raw.isdigit() else 1
    where = sa.true()
    if typed:
        words = [w.lower() for w in typed.split()]
        where = sa.and_(
            *(
                sa.or_(
                    sa.func.lower(User.full_name).contains(w, autoescape=True),
                    sa.func.lower(User.email).contains(w, autoescape=True),
                    sa.func.lower(Team.name).contains(w, autoescape=True),
                )
                for w in words
            )
        )
    matching = sa.select(User).join(Team, User.team_id == Team.id).where(where)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(matching.subquery()))
    shown = db.session.scalars(
        matching.order_by(User.full_name, User.id)
        .offset((number - 1) * USERS_PAGE)
        .limit(USERS_PAGE)
    ).all()
    last_page = max(((total or 0) + USERS_PAGE - 1) // USERS_PAGE, 1)
    return flask.render_template(
        "auth/users.html",
        users=shown,
        total=total or 0,
        typed=typed,
        first=(number - 1) * USERS_PAGE + 1 if shown else 0,
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if number < last_page else None,
        create_form=create_form,
        **context,
    ), status


@bp.get("/admin/users")
@permission_required(can_administer)
def users():
    form = CreateUserForm(formdata=None)
    form.team.choices = _team_choices()
    return _users_page(form)


@bp.post("/admin/users")
@permission_required(can_administer)
def create_user():
    form = CreateUserForm()
    form.team.choices = _team_choices()
    return handle_form_post(
        form,
        CreateUserArgs(),
        lambda args: operations.create_user(actor=_me(), **args),
        done=lambda user: f"{user.full_name} can now sign in as {user.role.label.lower()}.",
        redirect_to=lambda _: flask.url_for("auth.users"),
        page=lambda status: _users_page(form, status, form=form),
    )


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(can_administer)
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or flask.abort(404)
    form = UpdateUserForm(obj=user) if flask.request.method == "GET" else UpdateUserForm()
    form.team.choices = _team_choices()

    def page(status: int):
        return flask.render_template("auth/edit_user.html", user=user, form=form), status

    if flask.request.method == "GET":
        form.team.data = user.team.code
        form.role.data = user.role.value
        return page(200)
    return handle_form_post(
        form,
        UpdateUserArgs(),
        lambda args: operations.update_user(actor=_me(), user=user, changes=args),
        done=lambda _: f"{user.full_name}'s account was saved.",
        redirect_to=lambda _: flask.url_for("auth.users"),
        page=page,
    )
