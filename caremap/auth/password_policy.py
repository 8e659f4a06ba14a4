"""What a new password must be (OWASP ASVS 4.0 level 2, V2.1): at least 12 characters,
not a common or breached one, and not built from the user's own email, name or the
service's name. Length, not composition rules: a long passphrase is the best password.

The common passwords are zxcvbn's list of the 30,000 most frequent in breach corpora
(the `zxcvbn` package's frequency_lists, from Dropbox's zxcvbn).
"""

from __future__ import annotations

import functools
import re

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from caremap.auth.passwords import MIN_LENGTH
from caremap.core.errors import DomainError

SERVICE_NAMES = ("caremap",)
_SMALLEST_PART = 3  # a name part shorter than this ("al") is too common to refuse on


@functools.cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _forms(password: str) -> set[str]:
    """The password as typed, lower-cased, and with the digits and symbols people add to a
    common word ("Dragon2026!") taken off."""
    lower = password.lower()
    letters = re.sub(r"[^a-z]", "", lower)
    return {lower, lower.strip("0123456789!@#$%^&*()-_=+.?~ "), letters}


def check_new_password(password: str, *, email: str, full_name: str, field: str) -> None:
    """Refuse a password an attacker would try first, naming the field and the reason."""
    if len(password) < MIN_LENGTH:
        raise DomainError(f"must be at least {MIN_LENGTH} characters", field=field)
    lower = password.lower()
    if any(form in _common() for form in _forms(password) if len(form) >= 4):
        raise DomainError(
            "is one of the most common passwords, which are tried first: choose a longer "
            "phrase of your own",
            field=field,
        )
    local_part = email.split("@", 1)[0].lower()
    parts = {p for p in re.split(r"[^a-z0-9]+", f"{local_part} {full_name.lower()}") if p}
    if local_part in lower or any(p in lower for p in parts if len(p) >= _SMALLEST_PART):
        raise DomainError("must not contain your name or email address", field=field)
    if any(name in lower for name in SERVICE_NAMES):
        raise DomainError("must not contain the name of this service", field=field)
