"""The board's safeguarding figures count each concern on the day it was raised, not the
day it was entered."""

from tests.safeguarding.test_history import ago
from tests.safeguarding.test_safeguarding import _triage, raise_one


def test_the_figures_count_a_concern_on_the_day_it_was_raised(app, api, make_person):
    def raised_between(start: str, end: str) -> int:
        return (
            api("manager")
            .get("/safeguarding/figures", query_string={"start": start, "end": end})
            .json["concerns_raised"]
        )

    before_then, before_now = raised_between(ago(40), ago(40)), raised_between(ago(0), ago(0))
    raise_one(api, make_person(), raised_on=ago(40))
    assert raised_between(ago(40), ago(40)) == before_then + 1
    assert raised_between(ago(0), ago(0)) == before_now


def test_a_triage_decided_in_time_but_written_up_late_counts_as_on_time(app, api, make_person):
    """'% triaged on time' goes by the day the lead decided, not the day it was entered."""

    def on_time_and_triaged() -> tuple[float | None, int]:
        figures = (
            api("manager")
            .get("/safeguarding/figures", query_string={"start": ago(83), "end": ago(83)})
            .json
        )
        return figures["percent_triaged_on_time"], figures["concerns_raised"]

    assert on_time_and_triaged() == (None, 0)
    raised = raise_one(api, make_person(), raised_on=ago(83))
    concern = api("safeguarding_lead").get(f"/safeguarding/concerns/{raised['id']}").json
    decided = _triage(api, concern, decided_on=ago(83), started_on=ago(82))
    assert decided.status_code == 200, decided.json
    assert on_time_and_triaged() == (100.0, 1)
