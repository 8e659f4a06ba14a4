"""Configuration: defaults, then the environment (CAREMAP_*), then the mapping passed in."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "development-only-secret-do-not-use"

DEFAULTS: dict[str, Any] = {
    "ENV": "development",
    "DATABASE_URL": f"sqlite:///{PROJECT_ROOT / 'instance' / 'caremap.sqlite3'}",
    "SECRET_KEY": DEV_SECRET,
    "TIMEZONE": "Europe/London",
    "SESSION_HOURS": 8,
    "SIGN_IN_MAX_FAILURES": 5,
    "SIGN_IN_LOCK_MINUTES": 15,
    # Failed sign-ins from one source address, across all accounts, before it is slowed.
    "SIGN_IN_ADDRESS_MAX_FAILURES": 20,
    "SIGN_IN_ADDRESS_WINDOW_MINUTES": 15,
    "LOG_LEVEL": "INFO",
    "SEARCH_LIMIT": 25,
    # Indicators: a figure resting on fewer people than this is shown but not rated
    # ("too few to rate"), so a board is never told red or green by one person.
    "INDICATOR_MIN_PEOPLE": 10,
    # How long a worker keeps an API token's user (auth/token_cache.py): a revocation made
    # in another worker holds within this. 0 keeps nothing.
    "TOKEN_CACHE_SECONDS": 5,
    # How long a service has to answer a referral (accept, decline or redirect), by urgency.
    # Emergency follows the two-hour urgent community response standard.
    "RESPONSE_HOURS": {"emergency": 2, "urgent": 48, "routine": 336},
    # A second identical referral (same person, service and needs) within this is a retry.
    "REFERRAL_DUPLICATE_MINUTES": 10,
    # How long emergency (break-glass) access to a record lasts.
    "BREAK_GLASS_HOURS": 4,
    # The age (in months) at which young people known to services need transition planning.
    "TRANSITION_AGE_MONTHS": 186,
    # Working days (weekends and England's bank holidays skipped) to triage a concern.
    "SAFEGUARDING_TRIAGE_WORKING_DAYS": 2,
    "ASSETS_DIR": str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # argon2id parameters (caremap.auth.passwords.PROFILES): "strong" is argon2-cffi's
    # RFC 9106 profile; "fast" is for the test suite alone and refused anywhere else.
    "PASSWORD_HASH": "strong",
    # The key of the audit trail's HMACs, held outside the database (docs/SECURITY.md).
    # Required in production; elsewhere it is derived from SECRET_KEY.
    "AUDIT_KEY": None,
    # Audit rows are chained once they are this old: every transaction that wrote one has
    # committed or rolled back by then (keep it above the longest request).
    "AUDIT_SEAL_AFTER_SECONDS": 120,
    # Limits that turn a lost or stuck database into a 503 within seconds, never a hang
    # (core/faults.py). The command line lifts the statement limit for batch work.
    "DATABASE_CONNECT_TIMEOUT": 3,
    "DATABASE_STATEMENT_TIMEOUT_MS": 4000,
    "DATABASE_POOL_TIMEOUT": 3,
    # A PostgreSQL streaming replica that reads which may lag may use (core/replica.py):
    # indicators, returns, exports, search. None: every read goes to the primary.
    "REPLICA_URL": None,
}

# name in the environment → (config key, type)
ENVIRONMENT: dict[str, tuple[str, Any]] = {
    "CAREMAP_ENV": ("ENV", str),
    "CAREMAP_DATABASE_URL": ("DATABASE_URL", str),
    "CAREMAP_INDICATOR_MIN_PEOPLE": ("INDICATOR_MIN_PEOPLE", int),
    "CAREMAP_SECRET_KEY": ("SECRET_KEY", str),
    "CAREMAP_TIMEZONE": ("TIMEZONE", str),
    "CAREMAP_SESSION_HOURS": ("SESSION_HOURS", int),
    "CAREMAP_SIGN_IN_MAX_FAILURES": ("SIGN_IN_MAX_FAILURES", int),
    "CAREMAP_SIGN_IN_LOCK_MINUTES": ("SIGN_IN_LOCK_MINUTES", int),
    "CAREMAP_SIGN_IN_ADDRESS_MAX_FAILURES": ("SIGN_IN_ADDRESS_MAX_FAILURES", int),
    "CAREMAP_SIGN_IN_ADDRESS_WINDOW_MINUTES": ("SIGN_IN_ADDRESS_WINDOW_MINUTES", int),
    "CAREMAP_LOG_LEVEL": ("LOG_LEVEL", str),
    "CAREMAP_TOKEN_CACHE_SECONDS": ("TOKEN_CACHE_SECONDS", float),
    # unset: 60 s (indicators/recent.py), and off under the test suite
    "CAREMAP_INDICATOR_LIVE_CACHE_SECONDS": ("INDICATOR_LIVE_CACHE_SECONDS", float),
    "CAREMAP_ASSETS_DIR": ("ASSETS_DIR", str),
    "CAREMAP_RESPONSE_HOURS": ("RESPONSE_HOURS", lambda value: parse_hours(value)),
    "CAREMAP_REFERRAL_DUPLICATE_MINUTES": ("REFERRAL_DUPLICATE_MINUTES", int),
    "CAREMAP_BREAK_GLASS_HOURS": ("BREAK_GLASS_HOURS", int),
    "CAREMAP_TRANSITION_AGE_MONTHS": ("TRANSITION_AGE_MONTHS", int),
    "CAREMAP_SAFEGUARDING_TRIAGE_WORKING_DAYS": ("SAFEGUARDING_TRIAGE_WORKING_DAYS", int),
    "CAREMAP_AUDIT_KEY": ("AUDIT_KEY", str),
    "CAREMAP_AUDIT_SEAL_AFTER_SECONDS": ("AUDIT_SEAL_AFTER_SECONDS", int),
    "CAREMAP_DATABASE_CONNECT_TIMEOUT": ("DATABASE_CONNECT_TIMEOUT", float),
    "CAREMAP_DATABASE_STATEMENT_TIMEOUT_MS": ("DATABASE_STATEMENT_TIMEOUT_MS", int),
    "CAREMAP_DATABASE_POOL_TIMEOUT": ("DATABASE_POOL_TIMEOUT", float),
    "CAREMAP_REPLICA_URL": ("REPLICA_URL", str),
}


def parse_hours(value: str) -> dict[str, int]:
    """'emergency=2,urgent=48,routine=336' → {'emergency': 2, ...}."""
    hours = {}
    for part in value.split(","):
        name, _, number = part.partition("=")
        hours[name.strip()] = int(number)
    return hours


class ConfigurationError(RuntimeError):
    pass


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    for env_name, (key, kind) in ENVIRONMENT.items():
        if env_name in os.environ:
            config[key] = kind(os.environ[env_name])
    config.update(overrides or {})
    check_config(config)
    return config


def check_config(config: Mapping[str, Any]) -> None:
    if set(config["RESPONSE_HOURS"]) != {"emergency", "urgent", "routine"}:
        raise ConfigurationError("CAREMAP_RESPONSE_HOURS must give emergency, urgent and routine")
    if config["ENV"] not in {"development", "test", "production"}:
        raise ConfigurationError("CAREMAP_ENV must be development, test or production")
    password_hash = config.get("PASSWORD_HASH", "strong")
    if password_hash not in {"strong", "fast"}:
        raise ConfigurationError("PASSWORD_HASH must be strong or fast")
    if password_hash != "strong" and config["ENV"] != "test":
        raise ConfigurationError("PASSWORD_HASH=fast is for the test suite only")
    secret = config.get("SECRET_KEY") or ""
    if config["ENV"] != "development" and (secret == DEV_SECRET or len(secret) < 32):
        raise ConfigurationError(
            "CAREMAP_SECRET_KEY must be set to a random value of at least 32 characters "
            "outside development (python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    audit_key = config.get("AUDIT_KEY") or ""
    if config["ENV"] == "production" and len(audit_key) < 32:
        raise ConfigurationError(
            "CAREMAP_AUDIT_KEY must be set to a random value of at least 32 characters in "
            "production, kept outside the database (it signs the audit trail)"
        )
