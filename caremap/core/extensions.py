"""Extension objects, created here and initialised in create_app."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from caremap.core.api import CaremapApi
from caremap.core.db import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
api = CaremapApi()
