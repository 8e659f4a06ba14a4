"""The day-91 outcome through the API and the episode's page: "at home" is refused before
the follow-up date, naming the field and the date; an early outcome needs its date."""

import datetime as dt

from tests.conftest import text_of

TODAY = dt.date.today()


def test_the_api_refuses_at_home_before_the_follow_up_date(reablement):
    made = reablement(days_ago=10)
    early = made.api.post(
        f"/api/v1/episodes/{made.episode_id}/day-91",
        json={"outcome": "at_home", "version": made.episode_version},
    )
    assert early.status_code == 422
    (message,) = early.json["errors"]["json"]["outcome"]
    assert f"{made.due:%-d %B %Y}" in message
    episode = made.api.get(f"/api/v1/people/{made.person_id}/episodes").json[0]
    assert episode["day91_outcome"] is None and episode["version"] == made.episode_version


def test_the_api_records_a_death_before_day_91_with_its_date(reablement):
    made = reablement(days_ago=10)
    url = f"/api/v1/episodes/{made.episode_id}/day-91"
    undated = made.api.post(url, json={"outcome": "died", "version": made.episode_version})
    assert undated.status_code == 422 and "outcome_on" in undated.json["errors"]["json"]
    died_on = (TODAY - dt.timedelta(days=2)).isoformat()
    dated = made.api.post(
        url, json={"outcome": "died", "outcome_on": died_on, "version": made.episode_version}
    )
    assert dated.status_code == 200
    assert dated.json["day91_outcome"] == "died" and dated.json["day91_outcome_on"] == died_on


def test_the_api_records_at_home_from_the_follow_up_date(reablement):
    made = reablement(days_ago=92)
    done = made.api.post(
        f"/api/v1/episodes/{made.episode_id}/day-91",
        json={"outcome": "at_home", "version": made.episode_version},
    )
    assert done.status_code == 200
    assert done.json["day91_outcome_on"] == TODAY.isoformat()


def test_the_episode_page_refuses_at_home_before_the_follow_up_date(reablement):
    made = reablement(days_ago=10)
    page = made.page.get(f"/episodes/{made.episode_id}")
    assert f"At home can be recorded from {made.due:%-d %B %Y}" in text_of(page)
    early = made.page.post(
        f"/episodes/{made.episode_id}/day-91",
        data={"outcome": "at_home", "version": made.episode_version},
    )
    assert early.status_code == 422
    assert f"“At home” can be recorded from {made.due:%-d %B %Y}" in text_of(early)
    died = made.page.post(
        f"/episodes/{made.episode_id}/day-91",
        data={
            "outcome": "in_hospital",
            "outcome_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "version": made.episode_version,
        },
    )
    assert died.status_code == 302
