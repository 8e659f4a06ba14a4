"""Who sees safeguarding detail: safeguarding leads and those working on the enquiry.

Everyone else with a relationship to the person sees only that a flag exists; the
worker who raised a concern sees its reference and status.
"""

from __future__ import annotations

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.auth.permissions import can_lead_safeguarding
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction


def works_on_enquiry(user: User, concern: Concern) -> bool:
    enquiry = concern.enquiry
    if enquiry is None:
        return False
    if enquiry.lead_id == user.id:
        return True
    return db.session.scalar(
        sa.select(
            sa.exists().where(
                EnquiryAction.enquiry_id == enquiry.id, EnquiryAction.owner_id == user.id
            )
        )
    )


def can_see_detail(user: User, concern: Concern) -> bool:
    return can_lead_safeguarding(user) or works_on_enquiry(user, concern)


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
