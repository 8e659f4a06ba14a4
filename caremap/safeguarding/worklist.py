"""The read side for the workers given an enquiry's actions: what is theirs to do.

Apart from queries.py (the leads' queue and the board's figures) because it answers
another reader: the owner, who sees their own actions and the enquiry's brief only.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction


def actions_owned_by(user: User) -> list[EnquiryAction]:
    """The user's actions, open ones first by due date, then those done (newest first),
    each with its enquiry, concern and person loaded (a fixed number of queries)."""
    return list(
        db.session.scalars(
            sa.select(EnquiryAction)
            .where(EnquiryAction.owner_id == user.id)
            .options(
                selectinload(EnquiryAction.enquiry)
                .selectinload(Enquiry.concern)
                .selectinload(Concern.person)
            )
            .order_by(
                EnquiryAction.done_at.is_not(None),
                EnquiryAction.due_on,
                EnquiryAction.id,
            )
        )
    )
