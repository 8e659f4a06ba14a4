"""create_app() and the one ordered list of domains, lowest layer first."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import flask

import caremap.models  # noqa: F401  (the whole schema, for merges and Alembic)
from caremap import (
    access,
    auth,
    careteam,
    catalogue,
    cohorts,
    episodes,
    fhir,
    home,
    imports,
    indicators,
    longterm,
    medicines,
    people,
    referrals,
    returns,
    routing,
    safeguarding,
    transitions,
    ui,
    worktasks,
)
from caremap.access.policy import check_relationships
from caremap.config import load_config
from caremap.core.extensions import api, csrf, db, login_manager
from caremap.core.transaction import finish_request
from caremap.core.urls import DatabaseIntegerConverter
from caremap.ui.requestlog import log_request, start_request
from caremap.ui.security import add_security_headers

# Each registers its pages, API, signal handlers and providers; the order is the layering
# in docs/architecture.md (a domain may rely on what those before it registered).
DOMAINS = (
    ui,
    catalogue,
    auth,
    access,
    people,
    worktasks,
    careteam,
    episodes,
    routing,
    referrals,
    medicines,
    safeguarding,
    cohorts,
    transitions,
    longterm,
    indicators,
    returns,
    fhir,
    imports,
    home,
)


def create_app(config: Mapping[str, Any] | None = None) -> flask.Flask:
    app = flask.Flask(__name__, static_folder="ui/static", template_folder="ui/templates")
    app.url_map.converters["int"] = DatabaseIntegerConverter
    settings = load_config(config)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["ENV"] == "production",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings["SESSION_HOURS"]),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        API_TITLE="caremap",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    configure_logging(app)
    db.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    api.init_app(app, spec_kwargs=_api_spec_kwargs())
    for domain in DOMAINS:
        domain.register(app)
    check_relationships(app)
    register_request_hooks(app)
    return app


def register_request_hooks(app: flask.Flask) -> None:
    app.before_request(start_request)
    # after_request hooks run in reverse order: commit first, log last.
    app.after_request(log_request)
    app.after_request(add_security_headers)
    app.after_request(finish_request)


def configure_logging(app: flask.Flask) -> None:
    logger = logging.getLogger("caremap")
    logger.setLevel(app.config["LOG_LEVEL"])
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
    # werkzeug's own access log prints the full path and query string (names, NHS numbers).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _api_spec_kwargs() -> dict[str, Any]:
    return {
        "info": {
            "description": "The caremap JSON API. Authenticate with a personal token: "
            "`Authorization: Bearer <token>` (create one on Your account). Errors are JSON: "
            "422 names each field that was wrong and why; 409 means a conflict or a stale "
            "version; 404 means not found or not yours to see.",
        },
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    }
