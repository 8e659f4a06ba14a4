"""Indicators never mislead a board: intervals, too few to rate, and the demo banner."""

import pytest

from caremap import audit
from caremap.core.extensions import db
from caremap.indicators.formatting import wilson_interval
from tests.conftest import text_of


@pytest.mark.parametrize(
    ("successes", "total", "low", "high"),
    # Wilson (1927); the same figures as the normal-approximation-free calculators give
    [(81, 100, 72.2, 87.5), (0, 10, 0.0, 27.8), (10, 10, 72.2, 100.0), (3, 8, 13.7, 69.4)],
)
def test_the_wilson_score_interval(successes, total, low, high):
    got = wilson_interval(successes, total)
    assert (round(got[0], 1), round(got[1], 1)) == (low, high)


def test_a_proportion_of_nobody_has_no_interval():
    with pytest.raises(ValueError):
        wilson_interval(0, 0)


def test_a_generated_city_carries_the_demo_banner(app, login_as):
    manager = login_as("manager")
    assert "Demo data: rates per population are not meaningful" not in text_of(
        manager.get("/indicators")
    )
    with app.app_context():
        audit.record(None, "synthetic.city_generated", changes={"people": 10})
        db.session.commit()
    assert "Demo data: rates per population are not meaningful" in text_of(
        manager.get("/indicators")
    )
