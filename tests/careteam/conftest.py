import pytest

from caremap.core.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def worker(app):
    """Make a staff user with a token; returns (user id, API client)."""

    def make(
        email: str,
        *,
        role: str = "key_worker",
        team: str = "complex-needs-hub",
        team_lead: bool = False,
    ):
        from caremap.auth.operations import create_api_token, create_user

        with app.app_context():
            user = create_user(
                actor=None,
                email=email,
                full_name=email.split("@")[0].title(),
                role=role,
                team=team,
                password=PASSWORD,
            )
            user.is_team_lead = team_lead
            _, secret = create_api_token(user=user, name="tests")
            db.session.commit()
            user_id = user.id
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return user_id, client

    return make


def user_id_of(app, role: str) -> int:
    from tests.conftest import user

    with app.app_context():
        return user(role).id
