"""`caremap seed demo`, which `make run` calls: demo staff, people and a small city, once."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.cli import cli
from caremap.core.extensions import db
from caremap.indicators.models import IndicatorFigure
from caremap.people.models import Person
from tests.conftest import fresh_database_url, make_app, migrate, text_of


def test_seed_demo_on_an_empty_database_then_again():
    url = fresh_database_url("demo")
    migrate(url)
    app = make_app(url)
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(cli, ["seed", "demo", "--city-people", "300"])
        assert first.exit_code == 0, first.output
        assert "Synthetic city: 303 people" in first.output  # 1% planted duplicates
        assert "manager" in first.output and "plymouth-demo-2026" in first.output
        with app.app_context():
            people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
            penhaligon = db.session.scalar(
                sa.select(sa.func.count()).where(Person.family_name == "Penhaligon")
            )
            stored = db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorFigure))
        assert penhaligon >= 1 and people > 303
        assert "Indicator figures stored for" in first.output and stored > 0

        again = runner.invoke(cli, ["seed", "demo", "--city-people", "300"])
        assert again.exit_code == 0, again.output
        assert "Synthetic city" not in again.output
        assert "Indicator figures stored" not in again.output
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == people
    finally:
        db.state(app).engine.dispose()


def test_each_tour_sign_in_has_something_to_do():
    """The README's tour: Kim's caseload has due work, Rhiannon's team has referrals
    waiting, Sam has concerns to triage, the pharmacists a medication review; `make run`
    prints every one of those sign-ins."""
    url = fresh_database_url("demo_work")
    migrate(url)
    app = make_app(url)
    runner = app.test_cli_runner()
    try:
        seeded = runner.invoke(cli, ["seed", "demo", "--city-people", "0"])
        assert seeded.exit_code == 0, seeded.output
        for email in (
            "pat.practitioner@caremap.example",
            "kim.keyworker@caremap.example",
            "sam.safeguarding@caremap.example",
            "morgan.manager@caremap.example",
            "alex.admin@caremap.example",
            "rhiannon.tregear@caremap.example",
            "hannah.okafor@caremap.example",
            "nadia.hosking@caremap.example",
        ):
            assert email in seeded.output
        assert "Emergency department" in seeded.output and "Pharmacist" in seeded.output

        def page(email: str, path: str) -> str:
            client = app.test_client()
            signed_in = client.post(
                "/sign-in", data={"email": email, "password": "plymouth-demo-2026"}
            )
            assert signed_in.status_code == 302, email
            response = client.get(path, follow_redirects=True)
            assert response.status_code == 200, (email, path)
            return text_of(response)

        kim = page("kim.keyworker@caremap.example", "/")
        assert "Daniel Okonkwo" in kim, kim[kim.find("<main") :][:3000]
        assert "(overdue)" in kim and "3 open, 1 overdue" in kim
        with app.app_context():
            daniel = db.session.scalar(
                sa.select(Person.id).where(Person.nhs_number == "9993953768")
            )
        support = page("kim.keyworker@caremap.example", f"/people/{daniel}/long-term-support")
        assert "Mental health support" in support and "Home support or domiciliary care" in support
        assert "Planned: Cyclical or scheduled" in support
        rhiannon = page("rhiannon.tregear@caremap.example", "/queue")
        for name in ("PENHALIGON", "WARE", "RICKARD"):
            assert name in rhiannon.upper(), name
        sam = page("sam.safeguarding@caremap.example", "/safeguarding")
        assert "Pearce" in sam and "Chubb" in sam
        pharmacist = page("nadia.hosking@caremap.example", "/tasks")
        assert "Medication review: eight regular medicines" in pharmacist
    finally:
        db.state(app).engine.dispose()
