"""In production the app asks browsers for HTTPS only, and no response names the software
that serves it (gunicorn's Server header is replaced by gunicorn.conf.py)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from caremap.app import create_app

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": secrets.token_hex(32),
    "AUDIT_KEY": secrets.token_hex(32),
    "DATABASE_URL": "sqlite://",
}


def test_production_asks_for_https_only_and_development_does_not():
    production = create_app(PRODUCTION).test_client().get("/healthz")
    assert production.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    development = create_app({"DATABASE_URL": "sqlite://"}).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in development.headers


def test_gunicorn_with_our_settings_names_no_software(tmp_path):
    env = {
        **os.environ,
        "CAREMAP_ENV": "production",
        "CAREMAP_SECRET_KEY": PRODUCTION["SECRET_KEY"],
        "CAREMAP_AUDIT_KEY": PRODUCTION["AUDIT_KEY"],
        "CAREMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "caremap.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        assert port, "gunicorn did not start"
        try:
            response = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
            headers = response.headers
        except urllib.error.HTTPError as error:  # 503: the database file is empty
            headers = error.headers
        assert headers["Server"] == "caremap"
        assert "gunicorn" not in str(headers).lower()
        assert headers["Strict-Transport-Security"]
    finally:
        server.terminate()
        server.wait(timeout=10)
