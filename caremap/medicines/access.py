"""Loading a medicine: through the person loader, so the access rule and read audit apply."""

from __future__ import annotations

from caremap.auth.models import User
from caremap.core.rows import get_or_404
from caremap.medicines.models import Medicine
from caremap.people.loader import LoadedPerson, load_person


def load_medicine(medicine_id: int, *, user: User, action: str) -> tuple[Medicine, LoadedPerson]:
    """The medicine and its person, loaded (and the read audited) as `action`; 404 for a
    medicine that does not exist or whose person the user may not see."""
    medicine = get_or_404(Medicine, medicine_id)
    return medicine, load_person(medicine.person_id, user=user, action=action)
