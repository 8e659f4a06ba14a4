"""The start page and the navigation: the top of the house, reading from every domain."""

import flask

from caremap.home import views


def register(app: flask.Flask) -> None:
    app.register_blueprint(views.bp)
    app.add_template_global(views.nav_items)
