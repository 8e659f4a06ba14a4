"""Completing a task through the API and the tasks page: a day-91 follow-up carries the
episode's version the worker saw (a stale one answers 409), and "at home" waits for the
follow-up date."""

import datetime as dt

from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.episodes.schemas import EpisodeSchema
from tests.conftest import text_of

TODAY = dt.date.today()


def _episode(made) -> dict:
    """The episode as stored now (read directly: once it has ended and its task is done,
    the worker has no reason left to see the record)."""
    with made.app.app_context():
        episode = db.session.get(Episode, made.episode_id)
        return EpisodeSchema().dump(episode)


def _end_the_episode(made) -> None:
    """Another worker ends the episode after the first read it."""
    ended = made.api.post(
        f"/api/v1/episodes/{made.episode_id}/end",
        json={
            "ended_on": TODAY.isoformat(),
            "end_reason": "Moved away",
            "version": made.episode_version,
        },
    )
    assert ended.status_code == 200


def test_the_api_answers_409_for_a_stale_episode_version(reablement):
    made = reablement(days_ago=10)
    _end_the_episode(made)
    body = {
        "version": made.task_version,
        "day91_outcome": "died",
        "day91_outcome_on": TODAY.isoformat(),
        "episode_version": made.episode_version,
    }
    stale = made.api.post(f"/api/v1/tasks/{made.task_id}/complete", json=body)
    assert stale.status_code == 409 and "episode_version" in stale.json["errors"]["json"]
    assert _episode(made)["day91_outcome"] is None
    missing = made.api.post(
        f"/api/v1/tasks/{made.task_id}/complete",
        json={k: v for k, v in body.items() if k != "episode_version"},
    )
    assert missing.status_code == 422 and "episode_version" in missing.json["errors"]["json"]
    current = made.api.post(
        f"/api/v1/tasks/{made.task_id}/complete",
        json={**body, "episode_version": _episode(made)["version"]},
    )
    assert current.status_code == 200 and current.json["status"] == "done"
    assert _episode(made)["day91_outcome"] == "died"


def test_the_api_refuses_at_home_before_the_follow_up_date(reablement):
    made = reablement(days_ago=10)
    early = made.api.post(
        f"/api/v1/tasks/{made.task_id}/complete",
        json={
            "version": made.task_version,
            "day91_outcome": "at_home",
            "episode_version": made.episode_version,
        },
    )
    assert early.status_code == 422
    (message,) = early.json["errors"]["json"]["day91_outcome"]
    assert f"{made.due:%-d %B %Y}" in message
    assert _episode(made)["day91_outcome"] is None


def test_the_tasks_page_carries_the_episode_version_and_answers_409_when_stale(reablement):
    made = reablement(days_ago=10)
    page = text_of(made.page.get("/tasks"))
    assert f'name="episode_version" value="{made.episode_version}"' in page
    assert f"At home can be recorded from {made.due:%-d %B %Y}" in page
    _end_the_episode(made)
    today = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
    form = {
        "version": made.task_version,
        "episode_version": made.episode_version,
        "day91_outcome": "in_hospital",
        "day91_outcome_on": today,
    }
    stale = made.page.post(f"/tasks/{made.task_id}/complete", data=form)
    assert stale.status_code == 409
    assert "changed by someone else" in text_of(stale)
    assert _episode(made)["day91_outcome"] is None
    # The page shown again carries the version as it is now: sent back, it is done.
    current = _episode(made)["version"]
    assert f'name="episode_version" value="{current}"' in text_of(stale)
    done = made.page.post(
        f"/tasks/{made.task_id}/complete", data={**form, "episode_version": current}
    )
    assert done.status_code == 302
    assert _episode(made)["day91_outcome"] == "in_hospital"


def test_the_tasks_page_refuses_at_home_before_the_follow_up_date(reablement):
    made = reablement(days_ago=10)
    early = made.page.post(
        f"/tasks/{made.task_id}/complete",
        data={
            "version": made.task_version,
            "episode_version": made.episode_version,
            "day91_outcome": "at_home",
        },
    )
    assert early.status_code == 422
    assert f"“At home” can be recorded from {made.due:%-d %B %Y}" in text_of(early)
    assert _episode(made)["day91_outcome"] is None


def test_the_tasks_page_records_at_home_from_the_follow_up_date(reablement):
    made = reablement(days_ago=95)
    done = made.page.post(
        f"/tasks/{made.task_id}/complete",
        data={
            "version": made.task_version,
            "episode_version": made.episode_version,
            "day91_outcome": "at_home",
        },
    )
    assert done.status_code == 302
    episode = _episode(made)
    assert (
        episode["day91_outcome"] == "at_home" and episode["day91_outcome_on"] == TODAY.isoformat()
    )
