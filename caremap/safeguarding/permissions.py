"""Who sees safeguarding detail, who reads an enquiry's brief, and who runs an enquiry.

The concern's detail is for safeguarding leads and the enquiry's own lead. A worker
given an action reads the enquiry's brief: the person, the lead, the summary the lead
chose to share, and their own actions, which they may mark done. Meetings, actions and
the conclusion are for those who run the enquiry. Everyone else with a relationship to
the person sees only that a flag exists; the worker who raised a concern sees its
reference and status.
"""

from __future__ import annotations

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.auth.permissions import can_lead_safeguarding
from caremap.core.errors import ForbiddenError, NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction


def runs_enquiry(user: User, enquiry: Enquiry) -> bool:
    return can_lead_safeguarding(user) or enquiry.lead_id == user.id


def owns_an_action(user: User, enquiry: Enquiry) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    EnquiryAction.enquiry_id == enquiry.id, EnquiryAction.owner_id == user.id
                )
            )
        )
    )


def can_see_detail(user: User, concern: Concern) -> bool:
    if can_lead_safeguarding(user):
        return True
    enquiry = concern.enquiry
    return enquiry is not None and enquiry.lead_id == user.id


def can_read_brief(user: User, concern: Concern) -> bool:
    """An action's owner reads the enquiry's brief (those who see the detail see more)."""
    return concern.enquiry is not None and owns_an_action(user, concern.enquiry)


def may_mark_done(user: User, action: EnquiryAction, enquiry: Enquiry) -> bool:
    return action.owner_id == user.id or runs_enquiry(user, enquiry)


def require_runs_enquiry(user: User, enquiry: Enquiry) -> None:
    if not runs_enquiry(user, enquiry):
        raise ForbiddenError(
            "Only the enquiry's lead or a safeguarding lead can do this", field="status"
        )


def require_detail(user: User, concern: Concern) -> None:
    if not can_see_detail(user, concern):
        raise NotFoundError()


def require_lead(user: User) -> None:
    if not can_lead_safeguarding(user):
        raise NotFoundError()


def enquiry_or_404(enquiry_id: int) -> Enquiry:
    return get_or_404(Enquiry, enquiry_id)


def load_concern(concern_id: int, *, user: User) -> Concern:
    """The one way a view gets a concern's detail: checked against who may see it, and the
    read audited."""
    concern = get_or_404(Concern, concern_id)
    require_detail(user, concern)
    audit.record(
        user,
        "safeguarding.view",
        person_id=concern.person_id,
        changes={"concern_id": concern.id},
        is_read=True,
    )
    return concern


def load_for_work(concern_id: int, *, user: User) -> tuple[Concern, bool]:
    """The concern for someone working on it, and whether they see its detail (True) or
    the enquiry's brief (False, an action's owner); 404 for anyone else. The read is
    audited either way."""
    concern = get_or_404(Concern, concern_id)
    if can_see_detail(user, concern):
        full = True
    elif can_read_brief(user, concern):
        full = False
    else:
        raise NotFoundError()
    audit.record(
        user,
        "safeguarding.view" if full else "safeguarding.view_brief",
        person_id=concern.person_id,
        changes={"concern_id": concern.id},
        is_read=True,
    )
    return concern, full
