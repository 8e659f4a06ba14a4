"""The three kinds of event, each declared once for its pages and its API: the model, the
Args of recording, editing and ending one, its output schema and its forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caremap.core.changes import Change, as_given
from caremap.longterm import forms, operations, queries, schemas
from caremap.longterm.models import CareAssessment, CarePackage, CareReview


@dataclass(frozen=True)
class EventKind:
    slug: str  # in the address: /assessments/3
    id_arg: str  # the address's name for its id (the access matrix knows it leads to a person)
    noun: str  # in the page's words: "assessment"
    model: type
    record: Change  # the row is the person
    update: Change
    end: Change
    schema: type
    form: type
    end_form: type
    of_people: Any  # person ids → the events, newest first
    audit_name: str  # longterm.<audit_name>.view

    @property
    def name(self) -> str:
        return self.slug.replace("-", "_")


def _recording(operation: Any) -> Any:
    return lambda actor, person, args: operation(actor=actor, person=person, details=args)


def _editing(operation: Any, row: str) -> Any:
    return lambda actor, event, args: operation(actor=actor, **{row: event}, details=args)


EVENTS: dict[str, EventKind] = {
    "assessments": EventKind(
        "assessments",
        "assessment_id",
        "assessment",
        CareAssessment,
        Change(
            "longterm.assessments.record",
            schemas.RecordAssessmentArgs,
            _recording(operations.record_assessment),
        ),
        Change(
            "longterm.assessments.update",
            schemas.UpdateAssessmentArgs,
            _editing(operations.update_assessment, "assessment"),
        ),
        Change(
            "longterm.assessments.end",
            schemas.EndEventArgs,
            as_given(operations.end_assessment, row="assessment"),
        ),
        schemas.AssessmentSchema,
        forms.AssessmentForm,
        forms.EndEventForm,
        queries.assessments_of,
        "assessments",
    ),
    "care-packages": EventKind(
        "care-packages",
        "care_package_id",
        "care package",
        CarePackage,
        Change(
            "longterm.packages.record",
            schemas.RecordPackageArgs,
            _recording(operations.record_package),
        ),
        Change(
            "longterm.packages.update",
            schemas.UpdatePackageArgs,
            _editing(operations.update_package, "package"),
        ),
        Change(
            "longterm.packages.end",
            schemas.EndEventArgs,
            as_given(operations.end_package, row="package"),
        ),
        schemas.PackageSchema,
        forms.PackageForm,
        forms.EndEventForm,
        queries.packages_of,
        "packages",
    ),
    "care-reviews": EventKind(
        "care-reviews",
        "care_review_id",
        "review",
        CareReview,
        Change(
            "longterm.reviews.record",
            schemas.RecordReviewArgs,
            _recording(operations.record_review),
        ),
        Change(
            "longterm.reviews.update",
            schemas.UpdateReviewArgs,
            _editing(operations.update_review, "review"),
        ),
        Change(
            "longterm.reviews.end",
            schemas.EndReviewArgs,
            as_given(operations.end_review, row="review"),
        ),
        schemas.ReviewSchema,
        forms.ReviewForm,
        forms.EndReviewForm,
        queries.reviews_of,
        "reviews",
    ),
}
