"""argon2id password hashes, with OWASP's parameters for an interactive sign-in.

The config key PASSWORD_HASH picks the parameters: "strong" (the default, and the only
value production accepts, see caremap.config) or "fast", a deliberately cheap setting
the test suite uses so that creating and signing in hundreds of users costs
milliseconds, not minutes. Outside an app context the strong setting applies.
"""

from __future__ import annotations

import functools

import flask
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12

# OWASP Password Storage Cheat Sheet (cheatsheetseries.owasp.org/cheatsheets/
# Password_Storage_Cheat_Sheet.html): "Use Argon2id with a minimum configuration of 19 MiB
# of memory, an iteration count of 2, and 1 degree of parallelism." argon2-cffi's default
# (RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes) costs several times that per
# sign-in and holds 64 MiB per concurrent sign-in; this answers well under a second on
# one core and keeps sign-ins from starving pages (benchmarks/bench_sign_in.py).
OWASP_ARGON2ID = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}

# name → PasswordHasher keyword arguments.
PROFILES: dict[str, dict[str, int]] = {
    "strong": OWASP_ARGON2ID,
    # Still argon2id, so stored hashes look the same; one pass over 8 KiB.
    "fast": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}


@functools.cache
def hasher(profile: str = "strong") -> PasswordHasher:
    return PasswordHasher(**PROFILES[profile])


@functools.cache
def _dummy_hash(profile: str) -> str:
    """Verified against when the address has no account, so a miss costs the same time."""
    return hasher(profile).hash("caremap-no-such-user")


def _profile() -> str:
    if flask.has_app_context():
        return flask.current_app.config.get("PASSWORD_HASH", "strong")
    return "strong"


def hash_password(password: str) -> str:
    return hasher(_profile()).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    profile = _profile()
    try:
        return (
            hasher(profile).verify(password_hash or _dummy_hash(profile), password)
            and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """A hash made with other parameters (a cheaper setting, or older defaults) is
    replaced at the next sign-in."""
    return hasher(_profile()).check_needs_rehash(password_hash)
