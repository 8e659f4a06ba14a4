"""Every model, imported once so the metadata is complete (for Alembic and merges)."""

from caremap.access.models import BreakGlass
from caremap.audit.models import AuditEvent, AuditSeal
from caremap.auth.models import ApiToken, SignInAttempt, User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Need, Service, Strand, Team
from caremap.cohorts.models import NeedsAssessment
from caremap.core.db import Base
from caremap.episodes.models import Episode
from caremap.imports.models import HeldMatch, ImportedEvent, ImportProblem, ImportRun
from caremap.indicators.models import (
    Area,
    IndicatorFigure,
    IndicatorSnapshot,
    PopulationEstimate,
    PostcodeDistrict,
)
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.medicines.models import MedicationReview, Medicine, PolypharmacyThresholds
from caremap.people.models import (
    ConsentRecord,
    Person,
    PersonIdentifier,
    RelatedPerson,
    StoryVersion,
)
from caremap.people.search_models import NameWord, PersonNamePair, PersonNameWord
from caremap.referrals.models import Referral, ReferralStatusChange, ReferralSubmission
from caremap.routing.models import RoutingDecision, RoutingRule
from caremap.safeguarding.models import (
    Concern,
    Enquiry,
    EnquiryAction,
    EnquiryMeeting,
    EnquiryRisk,
)
from caremap.transitions.models import TransitionPlan
from caremap.ui.pending import PendingForm
from caremap.worktasks.models import Task

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Area",
    "AuditEvent",
    "AuditSeal",
    "BreakGlass",
    "CareAssessment",
    "CarePackage",
    "CareReview",
    "CareTeamMember",
    "Concern",
    "ConsentRecord",
    "Enquiry",
    "EnquiryAction",
    "EnquiryMeeting",
    "EnquiryRisk",
    "Episode",
    "HeldMatch",
    "ImportedEvent",
    "ImportProblem",
    "ImportRun",
    "IndicatorFigure",
    "IndicatorSnapshot",
    "MedicationReview",
    "Medicine",
    "Need",
    "NeedsAssessment",
    "Referral",
    "ReferralStatusChange",
    "ReferralSubmission",
    "RoutingDecision",
    "RoutingRule",
    "NameWord",
    "Person",
    "PendingForm",
    "PersonIdentifier",
    "PersonNamePair",
    "PersonNameWord",
    "PolypharmacyThresholds",
    "PopulationEstimate",
    "PostcodeDistrict",
    "RelatedPerson",
    "Service",
    "SignInAttempt",
    "SocialCareProfile",
    "Strand",
    "StoryVersion",
    "Task",
    "TransitionPlan",
    "Team",
    "User",
    "metadata",
]
