"""The statutory returns built from the record: CLD (quarterly) and SAC (annual)."""

import flask


def register(app: flask.Flask) -> None:
    """Nothing yet: the returns' pages are added as they are built."""
