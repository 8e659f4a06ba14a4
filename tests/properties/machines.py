"""What the state-machine property tests share: each example runs inside a savepoint that
is rolled back, and every walk is bounded and repeatable (derandomized)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from caremap.core.extensions import db


class SavepointMachine(RuleBasedStateMachine):
    """Each example's rows live in a savepoint, rolled back when the example ends."""

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = db.session.begin_nested()

    def teardown(self) -> None:
        self.savepoint.rollback()
        db.session.expunge_all()  # the next example's rows may reuse these ids


def walk(machine: type[RuleBasedStateMachine], *, examples: int, steps: int) -> None:
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
