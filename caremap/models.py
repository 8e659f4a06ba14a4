"""Every model, imported once so the metadata is complete (for Alembic and merges)."""

from caremap.audit.models import AuditEvent
from caremap.auth.models import ApiToken, SignInAttempt, User
from caremap.catalogue.models import Service, Strand, Team
from caremap.core.db import Base
from caremap.people.models import ConsentRecord, Person, RelatedPerson, StoryVersion

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ConsentRecord",
    "Person",
    "RelatedPerson",
    "Service",
    "SignInAttempt",
    "Strand",
    "StoryVersion",
    "Team",
    "User",
    "metadata",
]
