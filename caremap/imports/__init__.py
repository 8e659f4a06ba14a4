"""Bulk import of people and their history from the systems councils and trusts run today."""

import flask


def register(app: flask.Flask) -> None:
    """Nothing yet: the import pages are added as they are built."""
