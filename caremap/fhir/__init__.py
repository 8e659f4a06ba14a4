"""A read-only FHIR R4 (UK Core) view of the record under /fhir."""

import flask


def register(app: flask.Flask) -> None:
    """Nothing yet: the /fhir blueprint is added as it is built."""
