"""Security headers on every response, and the per-request nonce for inline scripts."""

from __future__ import annotations

import secrets

import flask


def csp_nonce() -> str:
    if "csp_nonce" not in flask.g:
        flask.g.csp_nonce = secrets.token_urlsafe(16)
    return flask.g.csp_nonce


def add_security_headers(response: flask.Response) -> flask.Response:
    nonce = flask.g.get("csp_nonce")
    script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if flask.current_app.config["ENV"] == "production":
        # Browsers remember to use HTTPS only, so no first request goes out in the clear.
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not flask.request.path.startswith(("/assets/", "/govuk/", "/autocomplete/", "/static/")):
        # Pages and API answers may carry personal data: keep them out of caches.
        response.headers["Cache-Control"] = "no-store"
    return response
