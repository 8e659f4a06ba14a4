"""Loading a medicine: through the person loader, so the access rule and read audit apply."""

from __future__ import annotations

from caremap.auth.models import User
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.medicines.models import Medicine
from caremap.people.loader import LoadedPerson, load_person


def load_medicine(medicine_id: int, *, user: User, action: str) -> tuple[Medicine, LoadedPerson]:
    """The medicine and its person, loaded (and the read audited) as `action`; 404 for a
    medicine that does not exist or whose person the user may not see."""
    medicine = db.session.get(Medicine, medicine_id)
    if medicine is None:
        raise NotFoundError()
    return medicine, load_person(medicine.person_id, user=user, action=action)
