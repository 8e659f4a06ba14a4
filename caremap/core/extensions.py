"""Extension objects, created here and initialised in create_app."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from caremap.core.api import CaremapApi
from caremap.core.db import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
api = CaremapApi()


def register_api_blueprint(blueprint) -> None:
    """Every /api/v1 blueprint the same way: in the OpenAPI document, and exempt from CSRF
    (the API authenticates with bearer tokens only, never the session cookie)."""
    api.register_blueprint(blueprint)
    csrf.exempt(blueprint)


def register_api_components(schemas: dict) -> None:
    """Name schemas in the OpenAPI document that a response refers to by name (one that
    answers in one of two shapes), unless an operation already named them."""
    known = api.spec.components.schemas
    for name, schema in schemas.items():
        if name not in known:
            api.spec.components.schema(name, schema=schema)
