"""Signing in: the sign-in POST under gunicorn over a real socket, beside its floor.

    python -m benchmarks.run sign_in
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_sign_in \
        python -m benchmarks.run sign_in

A sign-in is one argon2id verification and a few statements (the user, the throttle
counters, the audit row). Passwords are hashed with OWASP's parameters for an interactive
login (argon2id, 19 MiB, 2 passes, 1 lane: caremap/auth/passwords.py). Figures: the
sign-in through gunicorn (production settings, CSRF on: a GET of the page, then the POST
whose answer is the redirect home), wall and the workers' CPU per sign-in; its floor, the
same argon2id verification alone in this process; and, for the record, the verification
with argon2-cffi's default (RFC 9106's low-memory profile), which the app used before.
Goal: sign-in well under a second.
"""

from __future__ import annotations

import http.client
import os
import re
import time
import urllib.parse

from argon2 import PasswordHasher

from benchmarks.common import append_result, fresh_url, migrated_app, summary_ms
from benchmarks.served import serve

SIGN_INS = int(os.environ.get("CAREMAP_BENCH_SIGN_INS", "40"))
EMAIL = "pat.quayside@caremap.example"
PASSWORD = "Tamar estuary kingfisher 2026"


def _verify_ms(hasher: PasswordHasher, n: int) -> dict:
    stored = hasher.hash(PASSWORD)
    wall, cpu_before = [], time.process_time()
    for _ in range(n):
        started = time.perf_counter()
        hasher.verify(stored, PASSWORD)
        wall.append((time.perf_counter() - started) * 1000)
    return {**summary_ms(wall), "cpu_ms": round((time.process_time() - cpu_before) * 1000 / n, 2)}


def _sign_in_once(port: int) -> float:
    """GET the page (a session and its CSRF token), then POST: ms of the POST."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/sign-in")
    page = connection.getresponse()
    html = page.read().decode()
    cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    body = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD}
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    started = time.perf_counter()
    connection.request("POST", "/sign-in", body=body, headers=headers)
    answer = connection.getresponse()
    answer.read()
    took = (time.perf_counter() - started) * 1000
    connection.close()
    if answer.status != 302:
        raise RuntimeError(f"sign-in answered {answer.status}")
    return took


def main() -> dict:
    from caremap.auth.operations import create_user
    from caremap.auth.passwords import OWASP_ARGON2ID
    from caremap.core.extensions import db

    url = fresh_url("sign_in")
    app = migrated_app(url, PASSWORD_HASH="strong")
    with app.app_context():
        create_user(
            actor=None,
            email=EMAIL,
            full_name="Pat Quayside",
            role="practitioner",
            team="spa-triage",
            password=PASSWORD,
        )
        db.session.commit()
        db.engine.dispose()
    with serve(url) as server:
        _sign_in_once(server.port)  # warm up
        cpu_before = server.cpu_seconds()
        wall = [_sign_in_once(server.port) for _ in range(SIGN_INS)]
        # Each sign-in is a GET of the page and the POST: the CPU is of both.
        cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / SIGN_INS
    results = {
        "sign_in_http": {**summary_ms(wall), "cpu_ms_page_and_post": round(cpu_ms, 2)},
        "floor_argon2id_owasp": _verify_ms(PasswordHasher(**OWASP_ARGON2ID), SIGN_INS),
        "before_argon2id_rfc9106_low": _verify_ms(PasswordHasher(), max(SIGN_INS // 4, 5)),
    }
    load = os.getloadavg()
    return append_result("sign_in", url, 1, results, load_average=[round(x, 2) for x in load])


if __name__ == "__main__":
    print(main())
