"""The signed-in user as a plain User object (not Flask-Login's proxy), for operations."""

from __future__ import annotations

from flask_login import current_user

from caremap.auth.models import User


def actor() -> User:
    return current_user._get_current_object()
