"""The safeguarding state machines: every allowed (from, to) step, in one place."""

from __future__ import annotations

from caremap.core.errors import IllegalTransitionError
from caremap.safeguarding.enums import ConcernStatus as C
from caremap.safeguarding.enums import EnquiryStatus as E

CONCERN_STEPS: dict[tuple[C, C], str] = {
    (
        C.AWAITING_TRIAGE,
        C.SECTION_42_ENQUIRY,
    ): "the section 42(1) test is met: a section 42 enquiry",
    (C.AWAITING_TRIAGE, C.OTHER_ENQUIRY): "an enquiry under the council's wider powers",
    (C.AWAITING_TRIAGE, C.NO_FURTHER_ACTION): "no further action (reason and signposting recorded)",
    (C.SECTION_42_ENQUIRY, C.CLOSED): "the enquiry concluded",
    (C.OTHER_ENQUIRY, C.CLOSED): "the enquiry concluded",
}

ENQUIRY_STEPS: dict[tuple[E, E], str] = {
    (E.OPEN, E.CONCLUDED): "concluded with its outcome",
}


def check_concern_step(current: C, target: C) -> None:
    if (current, target) not in CONCERN_STEPS:
        raise IllegalTransitionError(
            f"A concern that is {current.label.lower()} cannot become {target.label.lower()}",
            field="status",
        )


def check_enquiry_step(current: E, target: E) -> None:
    if (current, target) not in ENQUIRY_STEPS:
        raise IllegalTransitionError(
            f"An enquiry that is {current.value} cannot become {target.value}", field="status"
        )
