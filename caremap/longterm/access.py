"""Loading an event: through the person loader, so the access rule and read audit apply."""

from __future__ import annotations

from typing import Any, TypeVar

from caremap.auth.models import User
from caremap.core.rows import get_or_404
from caremap.people.loader import LoadedPerson, load_person

Row = TypeVar("Row")


def load_event(
    model: type[Row], event_id: int, *, user: User, action: str
) -> tuple[Row, LoadedPerson]:
    """The event and its person, loaded (and the read audited) as `action`; 404 for an
    event that does not exist or whose person the user may not see."""
    event: Any = get_or_404(model, event_id)
    return event, load_person(event.person_id, user=user, action=action)
