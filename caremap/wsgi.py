"""The WSGI entry point for production: `gunicorn 'caremap.wsgi:app'`."""

from caremap.app import create_app

app = create_app()
