"""Long-term support: the social care profile, assessments (carers' too), services and reviews."""

import flask


def register(app: flask.Flask) -> None:
    """Nothing yet: the domain's blueprints and providers are added as it is built."""
