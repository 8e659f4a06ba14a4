"""The shared UI kit: the page layout, GOV.UK form helpers, error pages, security
headers, the request log and the front-end assets. It knows no domain."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from caremap.core import clock
from caremap.core.api import set_page_error_renderer
from caremap.ui import views
from caremap.ui.errors import render_error_page
from caremap.ui.forms import error_summary
from caremap.ui.security import csp_nonce


def register(app: flask.Flask) -> None:
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
    WTFormsHelpers(app)
    app.register_blueprint(views.bp)
    set_page_error_renderer(app, render_error_page)
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
    app.add_template_global(csp_nonce)
    app.add_template_global(error_summary)
    app.add_template_global(clock.today, "today")  # the city's day, not the server's
