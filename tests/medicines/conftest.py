import pytest

from caremap.core.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def worker_token(app):
    """A staff user of a team with an API token; returns a client that sends it."""

    def make(email: str, role: str, team: str):
        from caremap.auth.operations import create_api_token, create_user

        with app.app_context():
            user = create_user(
                actor=None, email=email, full_name="Worker", role=role, team=team, password=PASSWORD
            )
            _, secret = create_api_token(user=user, name="tests")
            db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client

    return make
