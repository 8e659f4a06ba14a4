"""gunicorn's settings for caremap: `gunicorn -c gunicorn.conf.py 'caremap.wsgi:app'`."""

import gunicorn.http.wsgi

# gunicorn puts its own name in a Server header on every response, which tells an
# attacker which stack to look up; it has no setting for that, so the name is replaced.
gunicorn.http.wsgi.SERVER = "caremap"

bind = "127.0.0.1:8000"
workers = 4
threads = 4
# A request never outlives the database limits (core/faults.py) by much; a worker that
# does is restarted rather than left holding a connection.
timeout = 30
