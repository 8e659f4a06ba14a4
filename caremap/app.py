"""create_app() and the one explicit list of blueprints."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

import caremap.models  # noqa: F401  (the whole schema, for merges and Alembic)
from caremap.config import load_config
from caremap.core.extensions import api, csrf, db, login_manager


def create_app(config: Mapping[str, Any] | None = None) -> flask.Flask:
    app = flask.Flask(__name__, static_folder="web/static", template_folder="web/templates")
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
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    db.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    WTFormsHelpers(app)
    api.init_app(app, spec_kwargs=_api_spec_kwargs())
    register_blueprints(app)
    register_request_hooks(app)
    register_template_helpers(app)
    return app


def register_blueprints(app: flask.Flask) -> None:
    from caremap.auth import loaders  # noqa: F401  (registers the user loaders)
    from caremap.auth.api import blp as auth_api
    from caremap.auth.views import bp as auth_pages
    from caremap.careteam import flags as _careteam_flags  # noqa: F401  (registers the flag)
    from caremap.careteam.api import blp as careteam_api
    from caremap.careteam.views import bp as careteam_pages
    from caremap.catalogue.api import blp as catalogue_api
    from caremap.cohorts import flags as _cohort_flags  # noqa: F401
    from caremap.cohorts.api import blp as cohorts_api
    from caremap.cohorts.views import bp as cohorts_pages
    from caremap.indicators.api import blp as indicators_api
    from caremap.indicators.views import bp as indicators_pages
    from caremap.medicines import flags as _medicines_flags  # noqa: F401
    from caremap.medicines.api import blp as medicines_api
    from caremap.medicines.views import bp as medicines_pages
    from caremap.people.api import blp as people_api
    from caremap.people.views import bp as people_pages
    from caremap.referrals.api import blp as referrals_api
    from caremap.referrals.views import bp as referrals_pages
    from caremap.routing.api import blp as routing_api
    from caremap.routing.views import bp as routing_pages
    from caremap.safeguarding import chronology as _safeguarding_chronology  # noqa: F401
    from caremap.safeguarding import flags as _safeguarding_flags  # noqa: F401
    from caremap.safeguarding.api import blp as safeguarding_api
    from caremap.safeguarding.views import bp as safeguarding_pages
    from caremap.transitions import flags as _transition_flags  # noqa: F401
    from caremap.transitions.api import blp as transitions_api
    from caremap.web.views import bp as web_pages

    for blueprint in (
        web_pages,
        auth_pages,
        people_pages,
        referrals_pages,
        routing_pages,
        careteam_pages,
        safeguarding_pages,
        medicines_pages,
        cohorts_pages,
        indicators_pages,
    ):
        app.register_blueprint(blueprint)
    for blueprint in (
        auth_api,
        catalogue_api,
        people_api,
        referrals_api,
        routing_api,
        careteam_api,
        safeguarding_api,
        medicines_api,
        cohorts_api,
        transitions_api,
        indicators_api,
    ):
        api.register_blueprint(blueprint)
        # The API authenticates with bearer tokens only, never the session cookie.
        csrf.exempt(blueprint)


def register_request_hooks(app: flask.Flask) -> None:
    from caremap.core.transaction import finish_request
    from caremap.web.requestlog import log_request, start_request
    from caremap.web.security import add_security_headers

    app.before_request(start_request)
    # after_request hooks run in reverse order: commit first, log last.
    app.after_request(log_request)
    app.after_request(add_security_headers)
    app.after_request(finish_request)


def register_template_helpers(app: flask.Flask) -> None:
    from caremap.access.policy import may_break_glass
    from caremap.people.identifiers import format_nhs_number
    from caremap.web.forms import error_summary
    from caremap.web.security import csp_nonce
    from caremap.web.views import nav_items

    zone = ZoneInfo(app.config["TIMEZONE"])

    def uk_date(value: dt.date | None) -> str:
        return value.strftime("%-d %B %Y") if value else ""

    def uk_datetime(value: dt.datetime | None) -> str:
        return value.astimezone(zone).strftime("%-d %B %Y at %H:%M") if value else ""

    def uk_time(value: dt.datetime | None) -> str:
        return value.astimezone(zone).strftime("%H:%M on %-d %B") if value else ""

    app.add_template_filter(uk_date)
    app.add_template_filter(uk_time)
    app.add_template_filter(uk_datetime)
    app.add_template_filter(format_nhs_number, "nhs_number")
    app.add_template_global(csp_nonce)
    app.add_template_global(nav_items)
    app.add_template_global(error_summary)
    app.add_template_global(may_break_glass)
    app.add_template_global(lambda: dt.date.today(), "today")


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
