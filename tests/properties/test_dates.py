"""Property tests for the date checks every back-entered event passes: a date is refused
exactly when it lies outside the person's life (or in the future), naming the field."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremap.core.errors import DomainError
from caremap.people.dates import check_within_life

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(born=days, lived=st.one_of(st.none(), st.integers(0, 40_000)), day=days)
def test_a_date_is_refused_exactly_when_outside_the_persons_life(born, lived, day):
    died = None if lived is None else born + dt.timedelta(days=lived)
    person = SimpleNamespace(date_of_birth=born, date_of_death=died)
    outside = day < born or (died is not None and day > died)
    if outside:
        with pytest.raises(DomainError) as refused:
            check_within_life(person, day, field="started_on")
        assert refused.value.field == "started_on"
        assert ("born" if day < born else "died") in refused.value.message
    else:
        check_within_life(person, day, field="started_on")
