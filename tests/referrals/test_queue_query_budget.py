"""A service's queue page: 50 a page by keyset, oldest first, counts over the whole queue,
the same number of queries for 60 referrals as for 300, and one read row per person shown."""

import re

import sqlalchemy as sa

from benchmarks.shapes import add_queue
from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from tests.conftest import PASSWORD

PAGE = 50


def _receiver(app, client):
    from caremap.auth.operations import create_user

    with app.app_context():
        user = create_user(
            actor=None,
            email="queue@test.example",
            full_name="Queue Reader",
            role="practitioner",
            team="reablement-plymouth",
            password=PASSWORD,
        )
        db.session.commit()
        user_id, team_id = user.id, user.team_id
    response = client.post("/sign-in", data={"email": "queue@test.example", "password": PASSWORD})
    assert response.status_code == 302
    return user_id, team_id


def _fill(app, n: int, user_id: int, team_id: int) -> None:
    from caremap.catalogue.models import Service

    with app.app_context():
        service = db.session.scalar(sa.select(Service.id).where(Service.code == "reablement"))
        add_queue(service, referrals=n, team_id=team_id, user_id=user_id, seed=n)
        db.session.commit()


def _reads(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_id == user_id, AuditEvent.action == "referrals.queue_view")
        )


def _rows(html: str) -> list[str]:
    return re.findall(r'href="/referrals/(\d+)"', html)


_COUNTS = re.compile(
    r'id="queue-counts">(\d+) overdue, (\d+) due today, (\d+) waiting, (\d+) accepted'
)


def _queue_size(html: str) -> int:
    return sum(int(n) for n in _COUNTS.search(html).groups())


def test_the_queue_reads_a_page_by_keyset_in_a_fixed_number_of_queries(app, client, count_queries):
    user_id, team_id = _receiver(app, client)
    # other modules commit referrals of their own for the whole run: count from what is there
    already = _queue_size(client.get("/services/reablement/queue").get_data(as_text=True))
    assert already < PAGE
    _fill(app, 60, user_id, team_id)
    with count_queries() as small:
        first = client.get("/services/reablement/queue")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert len(_rows(html)) == PAGE and _reads(app, user_id) == already + PAGE
    assert _queue_size(html) == already + 60  # the whole queue, not the page
    following = re.search(r'href="(/services/reablement/queue\?after=\d+)"', html).group(1)
    second = client.get(following).get_data(as_text=True)
    assert len(_rows(second)) == already + 10 and not set(_rows(second)) & set(_rows(html))
    assert "?after=" not in second  # the last page

    _fill(app, 240, user_id, team_id)
    with count_queries() as large:
        assert len(_rows(client.get("/services/reablement/queue").get_data(as_text=True))) == PAGE
    assert len(large) == len(small), f"{len(small)} statements at 60, {len(large)} at 300"
