"""Accounts, sign-in with lock-out, password changes and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from caremap import audit
from caremap.auth import token_cache
from caremap.auth.enums import Role, TokenScope
from caremap.auth.models import ApiToken, SignInAttempt, User
from caremap.auth.password_policy import check_new_password
from caremap.auth.passwords import hash_password, needs_rehash, verify_password
from caremap.auth.permissions import can_administer
from caremap.catalogue.models import Team
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError
from caremap.core.extensions import db
from caremap.core.transaction import keep_on_failure
from caremap.core.versions import check_version

TOKEN_PREFIX = "cm_"
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=5)


def normalise_email(email: str) -> str:
    """One spelling of an address, so an account, its sign-in attempts and its lock-out
    are found however the address is typed."""
    return email.strip().lower()


def team_by_code(code: str) -> Team:
    """Teams are named by their stable code (seed files, forms, the API), never by id, so
    a refusal can say which code is unknown."""
    team = db.session.scalar(sa.select(Team).where(Team.code == code))
    if team is None:
        raise DomainError(f"There is no team with code {code!r}", field="team")
    return team


def create_user(
    *, actor: User | None, email: str, full_name: str, role: Role, team: str, password: str
) -> User:
    """Someone gets an account from an admin (the first ones from the command line or the
    seed), with the role and team that decide what they may see; one account an address."""
    email = normalise_email(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ConflictError("A user with this email address already exists", field="email")
    check_new_password(password, email=email, full_name=full_name, field="password")
    user = User(
        email=email,
        full_name=full_name,
        role=Role(role),
        team=team_by_code(team),
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor, "users.create", changes={"user_id": user.id, "role": user.role, "team": team}
    )
    return user


def update_user(*, actor: User, user: User, changes: dict[str, Any]) -> User:
    """Change what someone may do. An admin cannot lock themselves out (no one would be
    left to undo it), and a change of role, team or status signs the user in afresh, so
    an open session never keeps powers they no longer have."""
    changes = dict(changes)
    check_version(user, changes.pop("version"))
    if "team" in changes:
        changes["team_id"] = team_by_code(changes.pop("team")).id
    if user.id == actor.id and changes.get("role", user.role) != Role.ADMIN:
        raise DomainError("You cannot take the admin role away from yourself", field="role")
    if user.id == actor.id and changes.get("is_active") is False:
        raise DomainError("You cannot deactivate your own account", field="is_active")
    before = {key: getattr(user, key) for key in changes}
    changed = audit.diff(before, changes)
    for key, value in changes.items():
        setattr(user, key, value)
    if "role" in changed or "is_active" in changed or "team_id" in changed:
        user.session_version += 1  # what they could do changed: sign them in afresh
    db.session.flush()
    token_cache.forget_all()  # their tokens act with what they may do now
    audit.record(actor, "users.update", changes={"user_id": user.id, **changed})
    return user


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_until: dt.datetime | None = None  # this email address is locked
    throttled_until: dt.datetime | None = None  # this source address is throttled


def sign_in(
    *,
    email: str,
    password: str,
    max_failures: int,
    lock_minutes: int,
    source_address: str | None = None,
    address_max_failures: int = 0,
    address_window_minutes: int = 15,
) -> SignInResult:
    """Check credentials, counting failures per address typed and per source address.

    After `max_failures` failures within `lock_minutes`, the email address is locked
    for `lock_minutes` from the last failure, whether or not it has an account, so the
    lock tells an attacker nothing. After `address_max_failures` failures from one
    source address within `address_window_minutes`, across any accounts (a password
    spray), that source is throttled until the window has passed.
    """
    email = normalise_email(email)[:254]
    now = utcnow()
    throttled_until = _throttled_until(
        source_address, now, address_max_failures, address_window_minutes
    )
    if throttled_until is not None:
        _attempt(email, now, succeeded=False, source_address=source_address)
        audit.record(None, "auth.sign_in_throttled", changes={"source": source_address})
        return SignInResult(None, throttled_until=throttled_until)
    locked_until = _locked_until(email, now, max_failures, lock_minutes)
    if locked_until is not None:
        _attempt(email, now, succeeded=False, source_address=source_address)
        return SignInResult(None, locked_until)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        _attempt(email, now, succeeded=False, source_address=source_address)
        audit.record(None, "auth.sign_in_failed", changes={"email": email})
        return SignInResult(None, _locked_until(email, now, max_failures, lock_minutes))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _attempt(email, now, succeeded=True, source_address=source_address)
    audit.record(user, "auth.sign_in")
    return SignInResult(user)


def _attempt(
    email: str, at: dt.datetime, *, succeeded: bool, source_address: str | None = None
) -> None:
    values = {
        "email": email,
        "attempted_at": at,
        "succeeded": succeeded,
        "source_address": source_address,
    }
    db.session.add(SignInAttempt(**values))
    keep_on_failure(SignInAttempt, values)
    db.session.flush()


def _throttled_until(
    source_address: str | None, now: dt.datetime, max_failures: int, window_minutes: int
) -> dt.datetime | None:
    if not source_address or max_failures <= 0:
        return None
    window = dt.timedelta(minutes=window_minutes)
    failures = list(
        db.session.scalars(
            sa.select(SignInAttempt.attempted_at)
            .where(
                SignInAttempt.source_address == source_address,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > now - window,
            )
            .order_by(SignInAttempt.attempted_at.desc())
            .limit(max_failures)
        )
    )
    if len(failures) < max_failures:
        return None
    # Until the oldest of the failures that filled the window leaves it.
    return failures[-1] + window


def _locked_until(
    email: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> dt.datetime | None:
    window = now - dt.timedelta(minutes=lock_minutes)
    last_success = db.session.scalar(
        sa.select(sa.func.max(SignInAttempt.attempted_at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )
    since = max(window, last_success) if last_success else window
    failures = list(
        db.session.scalars(
            sa.select(SignInAttempt.attempted_at)
            .where(
                SignInAttempt.email == email,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > since,
            )
            .order_by(SignInAttempt.attempted_at.desc())
            .limit(max_failures)
        )
    )
    if len(failures) < max_failures:
        return None
    until = failures[0] + dt.timedelta(minutes=lock_minutes)
    return until if until > now else None


def sign_out(*, user: User) -> None:
    """End every session of the user.

    The cookie lives on the client, so a copy of it would otherwise go on working.
    """
    user.session_version += 1
    db.session.flush()
    audit.record(user, "auth.sign_out")


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Only someone who knows the current password may change it (a session left open is
    not enough), and every other session ends, so a stolen one stops working."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError("Your current password is not correct", field="current_password")
    if current_password == new_password:
        raise DomainError("must be different from your current password", field="new_password")
    check_new_password(
        new_password, email=user.email, full_name=user.full_name, field="new_password"
    )
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    db.session.flush()
    audit.record(user, "auth.password_change")


def set_password(*, actor: User | None, user: User, password: str) -> None:
    """A password set for someone else (a reset when they are locked out): their sessions
    end, so whoever had the old one is out, and the reset is audited as the actor's."""
    check_new_password(password, email=user.email, full_name=user.full_name, field="password")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    db.session.flush()
    audit.record(actor, "users.set_password", changes={"user_id": user.id})


def create_api_token(
    *, user: User, name: str, scope: TokenScope = TokenScope.FULL
) -> tuple[ApiToken, str]:
    """A personal API token, so an integration acts as a named person and is audited as
    them. Only its hash is kept: a copy of the database gives no working token. A system
    that only reads records gets a `fhir_read` token, which nothing can use to write."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_prefix=secret[:10],
        token_hash=_token_hash(secret),
        scope=TokenScope(scope),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        user,
        "auth.token_create",
        changes={"token_id": token.id, "name": name, "scope": token.scope},
    )
    return token, secret


def revoke_api_token(*, user: User, token: ApiToken) -> None:
    """A token leaked or no longer needed stops working at once; its row stays, so the
    trail of what it did still names it. Its owner or an admin may revoke it."""
    if token.user_id != user.id and not can_administer(user):
        raise DomainError("That token is not yours", field="id")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        token_cache.forget_all()  # here at once; other workers within seconds
        audit.record(user, "auth.token_revoke", changes={"token_id": token.id})


def live_token(secret: str) -> ApiToken | None:
    """The one way an API or FHIR call becomes a user: a live token of an active account,
    so a revoked token or a deactivated user is refused on the next call. The token comes
    back with its user, so the caller can also see what it may reach (its scope)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _token_hash(secret)
    # Kept for a few seconds in this worker (auth/token_cache.py): no query at all.
    token = token_cache.kept(digest)
    if token is not None:
        return token
    # The user (and their team) in the same round trip: every API call comes this way.
    token = db.session.scalar(
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    now = utcnow()
    # Written at most every few minutes: a write on every call would make all of an
    # integration's concurrent requests queue on this one row. (Kept tokens write
    # nothing: the cache lasts seconds, the resolution minutes.)
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    token_cache.keep(digest, token)
    return token


def _token_hash(secret: str) -> str:
    # A token is 256 random bits, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(secret.encode()).hexdigest()
