"""The board's safeguarding figures count each concern on the day it was raised, not the
day it was entered."""

from tests.safeguarding.test_history import ago
from tests.safeguarding.test_safeguarding import raise_one


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
