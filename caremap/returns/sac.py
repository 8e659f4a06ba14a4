"""The Safeguarding Adults Collection tables for a financial year, each cell with the
concerns or enquiries behind it.

The layouts are data (seed/sac/tables.json, with sources); this module says which of the
record's facts falls in which row and column. SG1 counts concerns raised and enquiries
started in the year (individuals in SG1a-e, each once a column; cases in SG1f); SG2-SG4
count section 42 enquiries concluded in the year, where one enquiry counts once in each
different category that applies (SG2a: each type of risk with each source of it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.seeds import read_seed
from caremap.indicators.periods import Period
from caremap.longterm.models import SocialCareProfile
from caremap.people.enums import RecordStatus
from caremap.people.models import Person
from caremap.safeguarding.enums import (
    AbuseCategory,
    ActionResult,
    EnquiryStatus,
    LackedCapacity,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
)
from caremap.safeguarding.models import Concern, Enquiry, EnquiryRisk

# The record's values (caremap.safeguarding.enums) onto the collection's rows and columns,
# keyed by the members themselves, so a code renamed in the record cannot silently fall
# out of a table: tests/returns/test_sac_maps.py holds every member to a row.
RISK_TYPE = {
    AbuseCategory.PHYSICAL: "physical",
    AbuseCategory.SEXUAL: "sexual",
    AbuseCategory.PSYCHOLOGICAL: "psychological",
    AbuseCategory.FINANCIAL_OR_MATERIAL: "financial",
    AbuseCategory.DISCRIMINATORY: "discriminatory",
    AbuseCategory.ORGANISATIONAL: "organisational",
    AbuseCategory.NEGLECT: "neglect",
    AbuseCategory.DOMESTIC_ABUSE: "domestic",
    AbuseCategory.SEXUAL_EXPLOITATION: "sexual_exploitation",
    AbuseCategory.MODERN_SLAVERY: "modern_slavery",
    AbuseCategory.SELF_NEGLECT: "self_neglect",
}
# 'Not known yet' (RiskSource.UNKNOWN) answers a concern only: an s42 enquiry cannot
# conclude with it, so it has no column.
RISK_SOURCE = {
    RiskSource.SERVICE_PROVIDER: "service_provider",
    RiskSource.KNOWN_TO_THE_PERSON: "other_known",
    RiskSource.STRANGER: "other_unknown",
}
RISK_LOCATION = {
    RiskLocation.OWN_HOME: "own_home",
    RiskLocation.COMMUNITY: "community",
    RiskLocation.COMMUNITY_SERVICE: "community_service",
    RiskLocation.NURSING_HOME: "care_home_nursing",
    RiskLocation.RESIDENTIAL_CARE_HOME: "care_home_residential",
    RiskLocation.HOSPITAL_ACUTE: "hospital_acute",
    RiskLocation.HOSPITAL_MENTAL_HEALTH: "hospital_mental_health",
    RiskLocation.HOSPITAL_COMMUNITY: "hospital_community",
    RiskLocation.OTHER: "other",
}
ACTION_RESULT = {
    ActionResult.RISK_IDENTIFIED_ACTION_TAKEN: "identified_action",
    ActionResult.RISK_IDENTIFIED_NO_ACTION: "identified_no_action",
    ActionResult.INCONCLUSIVE_ACTION_TAKEN: "inconclusive_action",
    ActionResult.INCONCLUSIVE_NO_ACTION: "inconclusive_no_action",
    ActionResult.NO_RISK_ACTION_TAKEN: "none_action",
    ActionResult.NO_RISK_NO_ACTION: "none_no_action",
    ActionResult.CEASED_AT_REQUEST: "ceased",
}
RISK_OUTCOME = {
    RiskOutcome.REMAINS: "remained",
    RiskOutcome.REDUCED: "reduced",
    RiskOutcome.REMOVED: "removed",
}
LACKED_CAPACITY = {
    LackedCapacity.YES: "lacked",
    LackedCapacity.NO: "did_not_lack",
    LackedCapacity.DONT_KNOW: "dont_know",
    LackedCapacity.NOT_RECORDED: "not_recorded",
}
MSP_ASKED = {
    MspAsked.ASKED_OUTCOMES_EXPRESSED: "asked_expressed",
    MspAsked.ASKED_NO_OUTCOMES_EXPRESSED: "asked_not_expressed",
    MspAsked.NOT_ASKED: "not_asked",
    MspAsked.DONT_KNOW: "dont_know",
    MspAsked.NOT_RECORDED: "not_recorded",
}
OUTCOMES_ACHIEVED = {
    OutcomesAchieved.FULLY: "fully",
    OutcomesAchieved.PARTLY: "partially",
    OutcomesAchieved.NOT: "not_achieved",
}
GENDER = {"male": "male", "female": "female"}
# CLD Release 2 ethnicity text is "<group>: <category>"; SG1c counts the group
# (groups: DataS-DHSC/ASC-CLD-LA-Dashboard Main_tables/docs/methodology/5-data-cleaning.md).
ETHNIC_GROUP = {
    "White": "white",
    "Mixed or multiple ethnic groups": "mixed",
    "Asian or Asian British": "asian",
    "Black, Black British, Caribbean or African": "black",
    "Other ethnic group": "other",
}
# CLD Release 2 primary support reasons begin with their SAC group's words.
SUPPORT_REASON = (
    ("physical support", "physical"),
    ("sensory support", "sensory"),
    ("support with memory", "memory"),
    ("learning disability", "learning_disability"),
    ("mental health", "mental_health"),
    ("social support", "social"),
)
AGE_BANDS = ((95, "95+"), (85, "85-94"), (75, "75-84"), (65, "65-74"), (18, "18-64"))
SG1_COLUMN = {"concern": "concerns", "s42": "s42", "other": "other"}
# SAC is of adults: age on the last day of the year (or at death) for SG1, and the same
# birthday rule for SG2-SG4 (guidance, sg1-demographics)
ADULT = 18


@cache
def layouts() -> dict[str, Any]:
    return read_seed("sac/tables.json")


@dataclass
class Table:
    code: str
    title: str
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]
    note: str | None = None
    # (row, column) -> the ids behind the cell: concerns ("concern", id) or enquiries
    behind: dict[tuple[str, str], set[tuple[str, int]]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def count(self, row: str, column: str) -> int:
        return len(self.behind.get((row, column), ()))

    def add(self, row: str | None, column: str, item: tuple[str, int]) -> None:
        if row is not None:
            self.behind[(row, column)].add(item)


def _empty_tables() -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for item in layouts()["tables"]:
        columns = item["columns"]
        if isinstance(columns, str):  # "as SG1a"
            columns = next(t for t in layouts()["tables"] if t["code"] == columns)["columns"]
        tables[item["code"]] = Table(
            code=item["code"],
            title=item["title"],
            rows=[(r["key"], r["label"]) for r in item["rows"]],
            columns=[(c["key"], c["label"]) for c in columns],
            note=item.get("note"),
        )
    return tables


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    return next((band for floor, band in AGE_BANDS if age >= floor), "unknown")


def ethnic_group(ethnicity: str | None) -> str:
    if not ethnicity:
        return "not_known"
    if ethnicity == "No data: Refused":
        return "refused"
    return ETHNIC_GROUP.get(ethnicity.split(":")[0], "not_known")


def support_reason(reason: str | None) -> str:
    if not reason:
        return "not_known"
    lowered = reason.lower()
    return next((key for start, key in SUPPORT_REASON if lowered.startswith(start)), "not_known")


def _value(member: Any) -> str | None:
    return None if member is None else str(getattr(member, "value", member))


def _among(column, only: Collection[int] | None):
    return sa.true() if only is None else column.in_(sorted(only))


def _individuals(year: Period, only: Collection[int] | None) -> list[tuple[str, int, int]]:
    """(column, person id, concern or enquiry id) of each concern raised and enquiry
    started in the year, of live records."""
    concerns = sa.select(sa.literal("concern"), Concern.person_id, Concern.id).where(
        Concern.raised_on.between(year.start, year.end), _among(Concern.person_id, only)
    )
    enquiries = sa.select(
        sa.case((Enquiry.is_section_42.is_(True), "s42"), else_="other"),
        Enquiry.person_id,
        Enquiry.id,
    ).where(Enquiry.started_on.between(year.start, year.end), _among(Enquiry.person_id, only))
    return [tuple(r) for r in db.session.execute(sa.union_all(concerns, enquiries))]


def _people(person_ids: set[int]) -> dict[int, tuple]:
    found: dict[int, tuple] = {}
    ids = sorted(person_ids)
    for i in range(0, len(ids), 5000):
        stmt = (
            sa.select(
                Person.id,
                Person.date_of_birth,
                Person.date_of_death,
                Person.sex,
                SocialCareProfile.ethnicity,
                SocialCareProfile.primary_support_reason,
                SocialCareProfile.autism,
            )
            .outerjoin(SocialCareProfile, SocialCareProfile.person_id == Person.id)
            .where(Person.id.in_(ids[i : i + 5000]), Person.status == RecordStatus.LIVE)
        )
        found.update({row[0]: tuple(row) for row in db.session.execute(stmt)})
    return found


def _age(born, died, on) -> int:
    end = min(on, died) if died else on
    return end.year - born.year - ((end.month, end.day) < (born.month, born.day))


def _sg1(
    tables: dict[str, Table], year: Period, only: Collection[int] | None
) -> dict[tuple[str, int], int]:
    """Fills SG1a-f; answers whose case is whose, for counting individuals."""
    items = _individuals(year, only)
    people = _people({person_id for _, person_id, _ in items})
    person_of: dict[tuple[str, int], int] = {}
    for column, person_id, key in items:
        kind = "concern" if column == "concern" else "enquiry"
        person = people.get(person_id)
        if person is not None and _age(person[1], person[2], year.end) < ADULT:
            continue  # the collection is of adults: a child's concern is not in it
        person_of[(kind, key)] = person_id
        tables["SG1f"].add(SG1_COLUMN[column], "count", (kind, key))
        if person is None:
            continue
        _, born, died, sex, ethnicity, reason, autism = person
        col = SG1_COLUMN[column]
        item = (kind, key)
        tables["SG1a"].add(age_band(_age(born, died, year.end)), col, item)
        tables["SG1b"].add(GENDER.get(_value(sex) or "", "not_known"), col, item)
        tables["SG1c"].add(ethnic_group(ethnicity), col, item)
        tables["SG1d"].add(support_reason(reason), col, item)
        tables["SG1e"].add("autism" if autism else None, col, item)
    return person_of


def _sg2_to_sg4(tables: dict[str, Table], year: Period, only: Collection[int] | None) -> None:
    end = year.end
    adults = sa.select(Person.id).where(
        Person.date_of_birth <= dt.date(end.year - ADULT, end.month, end.day)
    )
    concluded = sa.and_(
        Enquiry.is_section_42.is_(True),
        Enquiry.status == EnquiryStatus.CONCLUDED,
        Enquiry.closed_on.between(year.start, year.end),
        Enquiry.person_id.in_(adults),
        _among(Enquiry.person_id, only),
    )
    risks = (
        sa.select(
            EnquiryRisk.enquiry_id,
            EnquiryRisk.risk_type,
            EnquiryRisk.risk_location,
            EnquiryRisk.risk_source,
        )
        .join(Enquiry, Enquiry.id == EnquiryRisk.enquiry_id)
        .where(concluded)
    )
    for enquiry_id, kind, location, source in db.session.execute(risks):
        item = ("enquiry", enquiry_id)
        column = RISK_SOURCE.get(_value(source) or "")
        if column is None:
            continue
        tables["SG2a"].add(RISK_TYPE.get(_value(kind) or ""), column, item)
        tables["SG2b"].add(RISK_LOCATION.get(_value(location) or ""), column, item)
    enquiries = sa.select(
        Enquiry.id,
        Enquiry.action_result,
        Enquiry.risk_outcome,
        Enquiry.lacked_capacity,
        Enquiry.capacity_support,
        Enquiry.msp_asked,
        Enquiry.outcomes_achieved,
    ).where(concluded)
    for key, result, outcome, capacity, supported, asked, achieved in db.session.execute(enquiries):
        item = ("enquiry", key)
        result = _value(result)
        tables["SG2c"].add(ACTION_RESULT.get(result or ""), "count", item)
        if result == "risk_identified_action_taken":
            tables["SG2e"].add(RISK_OUTCOME.get(_value(outcome) or ""), "count", item)
        capacity_row = LACKED_CAPACITY.get(_value(capacity) or "not_recorded", "not_recorded")
        tables["SG3a"].add(capacity_row, "count", item)
        if capacity_row == "lacked" and supported:
            tables["SG3a"].add("lacked_supported", "count", item)
        asked_row = MSP_ASKED.get(_value(asked) or "not_recorded", "not_recorded")
        tables["SG4a"].add(asked_row, "count", item)
        if asked_row == "asked_expressed":
            achieved_column = OUTCOMES_ACHIEVED.get(_value(achieved) or "")
            if achieved_column:
                tables["SG4a"].add("asked_expressed", achieved_column, item)


@dataclass
class SacReturn:
    year: Period
    tables: dict[str, Table]
    # SG1a-e count people: (table, row, column) -> distinct people in the cell
    individuals: dict[tuple[str, str, str], int]

    def count(self, table: str, row: str, column: str) -> int:
        if (table, row, column) in self.individuals:
            return self.individuals[(table, row, column)]
        return self.tables[table].count(row, column)

    def grid(self, code: str) -> list[tuple[str, str, list[int]]]:
        table = self.tables[code]
        return [
            (key, label, [self.count(code, key, c) for c, _ in table.columns])
            for key, label in table.rows
        ]


def build(year: Period, *, only: Collection[int] | None = None) -> SacReturn:
    """The tables for a financial year; `only` narrows them to some people's records (a
    group of records checked on its own; the tests' hand-counted cases)."""
    tables = _empty_tables()
    person_of = _sg1(tables, year, only)
    _sg2_to_sg4(tables, year, only)
    return SacReturn(year=year, tables=tables, individuals=_count_people(tables, person_of))


def _count_people(
    tables: dict[str, Table], person_of: dict[tuple[str, int], int]
) -> dict[tuple[str, str, str], int]:
    """SG1a-e: the number of distinct people behind each cell (a person with two
    concerns in the year is one individual); the cases behind stay what a viewer opens."""
    counts = {}
    for code in ("SG1a", "SG1b", "SG1c", "SG1d", "SG1e"):
        for (row, column), items in tables[code].behind.items():
            counts[(code, row, column)] = len({person_of[item] for item in items})
    return counts


def checks(result: SacReturn) -> list[str]:
    """The tables' agreement with one another, as the collection's template checks it
    before sign-off: each SG1 column counts the same individuals in SG1a, SG1b and SG1c;
    SG2c, SG3a and SG4a each count every concluded section 42 enquiry once; SG2e counts
    those of SG2c's 'risk identified and action taken'. An empty list: they agree."""

    def column_total(code: str, column: str, leave_out: tuple[str, ...] = ()) -> int:
        rows = result.tables[code].rows
        return sum(result.count(code, row, column) for row, _ in rows if row not in leave_out)

    problems = []
    for column, label in result.tables["SG1a"].columns:
        totals = {code: column_total(code, column) for code in ("SG1a", "SG1b", "SG1c")}
        if len(set(totals.values())) > 1:
            problems.append(f"{label}: SG1a, SG1b and SG1c count different people {totals}")
    concluded = {
        "SG2c": column_total("SG2c", "count"),
        "SG3a": column_total("SG3a", "count", leave_out=("lacked_supported",)),
        "SG4a": column_total("SG4a", "count"),
    }
    if len(set(concluded.values())) > 1:
        problems.append(f"Concluded section 42 enquiries differ between tables {concluded}")
    acted = result.count("SG2c", "identified_action", "count")
    if column_total("SG2e", "count") != acted:
        problems.append(
            f"SG2e counts {column_total('SG2e', 'count')} risk outcomes for {acted} enquiries "
            "where risk was identified and action taken"
        )
    if result.count("SG3a", "lacked_supported", "count") > result.count("SG3a", "lacked", "count"):
        problems.append("SG3a: more supported by an advocate than lacked capacity")
    return problems
