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
