"""A reablement episode and its worker, for tests through the API and the pages."""

import datetime as dt
from types import SimpleNamespace

import pytest

from caremap.auth.models import User
from caremap.core.extensions import db
from tests import factories
from tests.conftest import PASSWORD


@pytest.fixture
def reablement(app):
    """A reablement episode begun `days_ago` (the discharge that day), with its day-91
    task, and the reablement worker who began it: an API client (their token) and a
    page client (signed in)."""

    def make(days_ago: int = 10) -> SimpleNamespace:
        with app.app_context():
            episode = factories.make_episode(
                started_on=dt.date.today() - dt.timedelta(days=days_ago)
            )
            (task,) = factories.open_tasks(episode_id=episode.id)
            worker = db.session.get(User, episode.created_by_id)
            secret = factories.make_token(worker)
            db.session.commit()
            made = SimpleNamespace(
                episode_id=episode.id,
                episode_version=episode.version,
                due=episode.follow_up_due_on,
                task_id=task.id,
                task_version=task.version,
                person_id=episode.person_id,
            )
            email = worker.email
        made.app = app
        made.api = app.test_client()
        made.api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        made.page = app.test_client()
        signed_in = made.page.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert signed_in.status_code == 302
        return made

    return make
