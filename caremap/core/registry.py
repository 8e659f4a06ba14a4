"""Per-app lists that higher domains add to and lower ones read: flag providers,
chronology providers, sections of the person record.

This is how a lower layer shows what a higher one knows without importing it: the
higher domain's `register(app)` adds its provider, the lower one asks the app.
"""

from __future__ import annotations

from typing import Any

import flask


def add(app: flask.Flask, kind: str, item: Any) -> None:
    items = app.extensions.setdefault(f"caremap.{kind}", [])
    if item not in items:  # register(app) may run again on the same app
        items.append(item)


def items(kind: str) -> list[Any]:
    return flask.current_app.extensions.get(f"caremap.{kind}", [])
