"""The synthetic city: a reproducible population with years of history, written in bulk.

Everything is drawn from one random.Random(seed) (and Faker seeded from it) in a fixed
order, and dates are counted back from `end_on`, so the same arguments give the same
rows. Rates and counts come from seed/calibration.json (each with its source); the age
pyramid and areas from seed/populations.json. Referrals are routed by the rules in force
through the routing engine's pure functions, so their decisions carry real explanations.

The order of work: decide who everyone is and what happens to them (in memory), then
write staff, people and every history table through BulkWriter (COPY on PostgreSQL).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import flask
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.synthetic.writer import BulkWriter

Progress = Callable[[str, int, int], None]

DAY = dt.timedelta(days=1)
# Letters the inward code of a UK postcode may use.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_COHORT_DOMAINS = ("homelessness", "substance_misuse", "offending", "mental_health")


class CityError(Exception):
    """The city cannot be generated here (no reference data, people already present …)."""


@dataclass(frozen=True)
class PlantedDuplicate:
    original_id: int
    duplicate_id: int
    kind: str


@dataclass
class CityReport:
    people: int
    rows: dict[str, int] = field(default_factory=dict)
    planted_duplicates: list[PlantedDuplicate] = field(default_factory=list)
    seconds: float = 0.0


def generate_city(
    *,
    people: int,
    years: int = 5,
    seed: int = 42,
    end_on: dt.date | None = None,
    duplicate_rate: float = 0.01,
    progress: Progress | None = None,
) -> CityReport:
    """Generate `people` people (plus planted duplicates) and `years` of history ending on
    `end_on`, through the current session's connection (the caller commits).

    Rows already in the database stay: new ids follow the highest ones. The command line
    refuses a database that has people; this function does not, so tests and benchmarks
    can add a city beside records of their own."""
    if people < 1:
        raise CityError("--people must be at least 1")
    if years < 1:
        raise CityError("--years must be at least 1")
    if not 0 <= duplicate_rate < 0.5:
        raise CityError("the duplicate rate must be between 0 and 0.5")
    started = time.perf_counter()
    city = _City(
        people=people,
        years=years,
        seed=seed,
        end_on=end_on or dt.date.today(),
        duplicate_rate=duplicate_rate,
        progress=progress or (lambda phase, done, total: None),
    )
    report = city.run()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _poisson(rng: random.Random, threshold: float) -> int:
    """A Poisson draw given exp(-lambda) (Knuth; lambdas here are small)."""
    k, p = 0, rng.random()
    while p > threshold:
        k += 1
        p *= rng.random()
    return k


def _choice_weighted(rng: random.Random, table: dict[str, float]) -> str:
    u, acc = rng.random(), 0.0
    for key, weight in table.items():
        acc += weight
        if u < acc:
            return key
    return key


def _rate_for(bands: list[dict[str, Any]], age: int, key: str) -> Any:
    for band in bands:
        if age >= band["age_from"] and (band["age_to"] is None or age <= band["age_to"]):
            return band[key]
    return bands[-1][key]


def _utc(day: dt.date, seconds: int = 36000) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


MEDICINES = [
    ("Amlodipine 5mg tablets", "5mg", "oral", "once a day"),
    ("Atorvastatin 20mg tablets", "20mg", "oral", "once a day at night"),
    ("Ramipril 5mg capsules", "5mg", "oral", "once a day"),
    ("Bisoprolol 2.5mg tablets", "2.5mg", "oral", "once a day"),
    ("Metformin 500mg tablets", "500mg", "oral", "twice a day"),
    ("Omeprazole 20mg capsules", "20mg", "oral", "once a day"),
    ("Lansoprazole 30mg capsules", "30mg", "oral", "once a day"),
    ("Levothyroxine 100microgram tablets", "100 micrograms", "oral", "once a day"),
    ("Aspirin 75mg dispersible tablets", "75mg", "oral", "once a day"),
    ("Apixaban 5mg tablets", "5mg", "oral", "twice a day"),
    ("Furosemide 40mg tablets", "40mg", "oral", "once in the morning"),
    ("Bendroflumethiazide 2.5mg tablets", "2.5mg", "oral", "once in the morning"),
    ("Paracetamol 500mg tablets", "1g", "oral", "up to four times a day"),
    ("Codeine 30mg tablets", "30mg", "oral", "up to four times a day when needed"),
    ("Sertraline 50mg tablets", "50mg", "oral", "once a day"),
    ("Citalopram 20mg tablets", "20mg", "oral", "once a day"),
    ("Mirtazapine 15mg tablets", "15mg", "oral", "once at night"),
    ("Amitriptyline 10mg tablets", "10mg", "oral", "once at night"),
    ("Gabapentin 300mg capsules", "300mg", "oral", "three times a day"),
    ("Salbutamol 100micrograms/dose inhaler", "2 puffs", "inhaled", "when needed"),
    ("Fostair 100/6 inhaler", "2 puffs", "inhaled", "twice a day"),
    ("Tiotropium 18microgram inhalation powder", "1 capsule", "inhaled", "once a day"),
    ("Adcal-D3 chewable tablets", "1 tablet", "oral", "twice a day"),
    ("Alendronic acid 70mg tablets", "70mg", "oral", "once a week"),
    ("Tamsulosin 400microgram capsules", "400 micrograms", "oral", "once a day"),
    ("Finasteride 5mg tablets", "5mg", "oral", "once a day"),
    ("Donepezil 10mg tablets", "10mg", "oral", "once at night"),
    ("Lactulose oral solution", "15ml", "oral", "twice a day"),
    ("Senna 7.5mg tablets", "15mg", "oral", "once at night"),
    ("Insulin glargine 100units/ml pen", "20 units", "injection", "once a day"),
    ("Gliclazide 80mg tablets", "80mg", "oral", "twice a day"),
    ("Sitagliptin 100mg tablets", "100mg", "oral", "once a day"),
    ("Doxazosin 4mg tablets", "4mg", "oral", "once a day"),
    ("Losartan 50mg tablets", "50mg", "oral", "once a day"),
    ("Prednisolone 5mg tablets", "5mg", "oral", "once a day"),
    ("Fentanyl 12micrograms/hour patches", "1 patch", "transdermal", "every 72 hours"),
    ("Emollient cream", "apply", "topical", "twice a day"),
    ("Clopidogrel 75mg tablets", "75mg", "oral", "once a day"),
    ("Folic acid 5mg tablets", "5mg", "oral", "once a day"),
    ("Cetirizine 10mg tablets", "10mg", "oral", "once a day"),
    ("Sodium valproate 500mg tablets", "500mg", "oral", "twice a day"),
    ("Methadone 1mg/ml oral solution", "40ml", "oral", "once a day"),
]
MEDICINE_SOURCES = ("gp_record", "gp_record", "hospital_discharge_letter", "pharmacist")

ABUSE = {
    "neglect_and_acts_of_omission": 0.3,
    "self_neglect": 0.12,
    "psychological": 0.12,
    "physical": 0.16,
    "financial_or_material": 0.14,
    "domestic_abuse": 0.07,
    "organisational": 0.04,
    "sexual": 0.03,
    "discriminatory": 0.01,
    "modern_slavery": 0.01,
}

SOURCE_TEAMS = {
    "gp": "gp-practices",
    "hospital": "emergency-department",
    "ambulance": "ambulance-service",
    "police": "police-liaison",
    "nhs_111": "nhs-111",
    "self": "council-contact-centre",
    "family_or_carer": "council-contact-centre",
    "other_service": "spa-triage",
}
SOURCE_ORGANISATIONS = {
    "gp": None,
    "hospital": "University Hospitals Plymouth",
    "ambulance": "South Western Ambulance Service",
    "police": "Devon and Cornwall Police",
    "nhs_111": "NHS 111",
    "self": None,
    "family_or_carer": None,
    "other_service": None,
}
DECLINE_REASONS = [
    "Does not meet the service's criteria; advice given to the referrer",
    "The person declined the service when contacted",
    "Needs already met by another service",
    "Could not contact the person after three attempts",
]
REDIRECT_REASONS = [
    "Better met by another service in the same strand",
    "Needs have changed since the referral",
]


class _City:
    def __init__(self, *, people, years, seed, end_on, duplicate_rate, progress) -> None:
        from caremap.seed import read_seed

        self.n = people
        self.years = years
        self.seed = seed
        self.end = end_on
        self.start = end_on - dt.timedelta(days=365 * years - 1)
        self.duplicate_rate = duplicate_rate
        self.progress = progress
        self.rng = random.Random(seed)
        self.cal = read_seed("calibration.json")
        self.areas = read_seed("populations.json")["areas"]
        self.scale = people / self.cal["scale"]["city_population"]
        self.report = CityReport(people=people)

    # ------------------------------------------------------------------------------------
    def run(self) -> CityReport:
        self.connection = db.session.connection()
        self._reference()
        self.w = BulkWriter(self.connection)
        self._declare_columns()
        self._names()
        self._population()
        self._hospital()
        self._care_homes()
        self._long_term_and_cohorts()
        self._staff()
        self._write_people()
        self._write_hospital_and_homes()
        self._referrals()
        self._care_teams()
        self._carers()
        self._safeguarding()
        self._medicines()
        self.progress("writing", 0, 1)
        rows = self.w.finish()
        self.progress("writing", 1, 1)
        from caremap.audit.operations import record

        record(
            None,
            "synthetic.city_generated",
            changes={
                "people": self.n,
                "years": self.years,
                "seed": self.seed,
                "end_on": self.end.isoformat(),
                "duplicate_rate": self.duplicate_rate,
                "rows": rows,
            },
            reason="caremap seed city",
        )
        db.session.flush()
        rows["audit_events"] = rows.get("audit_events", 0) + 1
        self.report.rows = rows
        return self.report

    # ---- reference data ------------------------------------------------------------------
    def _reference(self) -> None:
        from caremap.catalogue.models import Service, Team
        from caremap.people.models import Person
        from caremap.routing.operations import rules_in_force

        c = self.connection
        # People already here keep their rows; their synthetic-range NHS numbers are skipped.
        self.taken_nhs = set(
            c.execute(sa.select(Person.nhs_number).where(Person.nhs_number.like("999%"))).scalars()
        )
        self.services = {code: sid for code, sid in c.execute(sa.select(Service.code, Service.id))}
        teams = c.execute(
            sa.select(Team.code, Team.id, Service.code)
            .join(Service, Team.service_id == Service.id)
            .where(Team.is_active.is_(True))
            .order_by(Team.code)
        ).all()
        self.rules = rules_in_force()
        if not self.services or not teams or not self.rules:
            raise CityError(
                "The reference data is missing: run `caremap seed reference` first "
                "(services, teams and routing rules)."
            )
        self.team_ids = {code: tid for code, tid, _ in teams}
        self.service_teams: dict[str, list[str]] = {}
        for code, _tid, service in teams:
            self.service_teams.setdefault(service, []).append(code)
        self.response_hours = flask.current_app.config["RESPONSE_HOURS"]
        self.now = _utc(self.end, 17 * 3600)

    def _declare_columns(self) -> None:
        tables = self.w.tables
        for name in tables:
            if name in self.w._rows:
                self.w.columns(name, [c.name for c in tables[name].columns])

    def _row(self, table: str, **values: Any) -> None:
        """A row by column name (every column given: COPY fills in no defaults)."""
        names = self.w._columns[table]
        self.w.add(table, tuple(values[n] for n in names))

    # ---- names and places ----------------------------------------------------------------
    def _names(self) -> None:
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(self.seed)
        self.female = sorted({fake.first_name_female() for _ in range(3000)})
        self.male = sorted({fake.first_name_male() for _ in range(3000)})
        self.family = sorted({fake.last_name() for _ in range(6000)})
        self.streets = sorted({fake.street_name() for _ in range(4000)})
        self.rng.shuffle(self.streets)
        self.towns = {
            "E06000026": ["Plymouth"],
            "E07000044": ["Ivybridge", "Totnes", "Dartmouth", "Kingsbridge", "Salcombe"],
            "E07000047": ["Tavistock", "Okehampton", "Yelverton", "Hatherleigh"],
        }
        # GP practices: ODS-like codes (not real practices) with names, per area.
        self.practices: list[list[tuple[str, str]]] = []
        kinds = ("Surgery", "Medical Centre", "Health Centre", "Medical Practice")
        n = 600
        for area, count in zip(self.areas, (38, 12, 8), strict=True):
            place = self.towns[area["code"]]
            rows = []
            for i in range(count):
                street = self.streets[n % len(self.streets)].split(" ")[0]
                name = f"{street} {kinds[i % len(kinds)]}"
                if len(place) > 1:
                    name = f"{place[i % len(place)]} {kinds[i % len(kinds)]}"
                    if i >= len(place):
                        name = f"{street} {kinds[i % len(kinds)]}, {place[i % len(place)]}"
                rows.append((f"L83{n:03d}", name))
                n += 1
            self.practices.append(rows)

    def _postcode(self, district: str) -> str:
        r = self.rng
        return (
            f"{district} {r.randint(1, 9)}"
            f"{_INWARD_LETTERS[r.randrange(20)]}{_INWARD_LETTERS[r.randrange(20)]}"
        )

    # ---- who lives here ------------------------------------------------------------------
    def _population(self) -> None:
        """Ages by the pyramid (largest remainder, so the counts are exact), areas by
        their share of each band."""
        r = self.rng
        cells = []
        for a, area in enumerate(self.areas):
            for band in area["bands"]:
                cells.append((a, band["age_from"], band["age_to"], band["population"]))
        total = sum(c[3] for c in cells)
        raw = [c[3] * self.n / total for c in cells]
        counts = [int(x) for x in raw]
        order = sorted(range(len(cells)), key=lambda i: (-(raw[i] - counts[i]), i))
        for i in order[: self.n - sum(counts)]:
            counts[i] += 1
        self.area: list[int] = []
        self.dob: list[dt.date] = []
        self.sex: list[str] = []
        for (a, low, high, _), count in zip(cells, counts, strict=True):
            top = high if high is not None else 99
            for _ in range(count):
                age = (
                    r.randint(low, top)
                    if high is not None
                    else min(low + int(r.expovariate(0.22)), 105)
                )
                born = self.end - dt.timedelta(days=int(age * 365.25) + r.randrange(365))
                self.area.append(a)
                self.dob.append(born)
                female = 0.5 if age < 75 else (0.58 if age < 85 else 0.68)
                self.sex.append("female" if r.random() < female else "male")
        # Shuffle so ids do not follow age or area.
        index = list(range(self.n))
        r.shuffle(index)
        self.area = [self.area[i] for i in index]
        self.dob = [self.dob[i] for i in index]
        self.sex = [self.sex[i] for i in index]
        self.death: dict[int, dt.date] = {}
        self.by_area: list[list[int]] = [[] for _ in self.areas]
        for i, a in enumerate(self.area):
            self.by_area[a].append(i)
        self.progress("population", 1, 1)

    def age(self, i: int, on: dt.date) -> int:
        born = self.dob[i]
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def year_window(self, y: int) -> tuple[dt.date, dt.date]:
        first = self.start + dt.timedelta(days=365 * y)
        return first, first + dt.timedelta(days=364)

    def _rand_day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def alive(self, i: int, on: dt.date) -> bool:
        died = self.death.get(i)
        return died is None or on <= died

    # ---- hospital: admissions, reablement, deaths ----------------------------------------
    def _hospital(self) -> None:
        r, cal = self.rng, self.cal
        rates = cal["emergency_admissions"]["per_1000_a_year_by_age"]
        emergency = [math.exp(-_rate_for(rates, a, "rate") / 1000) for a in range(121)]
        elective = math.exp(-cal["elective_admissions"]["per_1000_a_year"] / 1000)
        stay = cal["length_of_stay"]
        conditions = cal["admission_conditions"]
        self.admissions: list[list[Any]] = []  # [person, start, end, emergency, ready, cond]
        for y in range(self.years):
            first, last = self.year_window(y)
            mid = first + dt.timedelta(days=182)
            for i in range(self.n):
                if self.dob[i] > last:
                    continue
                age = max(self.age(i, mid), 0)
                for is_emergency, count in (
                    (True, _poisson(r, emergency[min(age, 120)])),
                    (False, _poisson(r, elective) if age >= 18 else 0),
                ):
                    for _ in range(count):
                        day = self._rand_day(max(first, self.dob[i]), last)
                        at = self.age(i, day)
                        mean = _rate_for(stay["mean_days_by_age"], at, "days")
                        los = int(r.expovariate(1 / mean)) if is_emergency else r.randint(0, 3)
                        end = day + dt.timedelta(days=los)
                        ready = end
                        share = (
                            stay["delayed_share_65_plus"]
                            if at >= 65
                            else stay["delayed_share_18_64"]
                            if at >= 18
                            else 0
                        )
                        if los >= 2 and r.random() < share:
                            delay = min(
                                los - 1, 1 + int(r.expovariate(1 / stay["delayed_days_mean"]))
                            )
                            ready = end - dt.timedelta(days=delay)
                        if is_emergency:
                            table = conditions["child"] if at < 18 else conditions["adult"]
                            condition = _choice_weighted(r, table)
                        else:
                            condition = "other"
                        self.admissions.append([i, day, end, is_emergency, ready, condition])
            self.progress("hospital", y + 1, self.years)
        self.admissions.sort(key=lambda a: (a[1], a[0]))
        self._reablement()

    def _reablement(self) -> None:
        r, cal = self.rng, self.cal["reablement"]
        per_year = cal["per_year_city"] * self.scale
        self.lts_home_care: set[int] = set()  # decided now so reablement can avoid them
        lts = self.cal["long_term_support"]
        for i in range(self.n):
            age = self.age(i, self.end)
            share = lts["share_65_plus"] if age >= 65 else lts["share_18_64"] if age >= 18 else 0
            if r.random() < share:
                self.lts_home_care.add(i)
        self.reablements: list[tuple[int, list[Any], str | None]] = []
        last_discharge: dict[int, dt.date] = {}
        carry = 0.0
        for y in range(self.years):
            first, last = self.year_window(y)
            candidates = [
                a
                for a in self.admissions
                if a[3]
                and a[2] <= self.end
                and first <= a[2] <= last
                and a[0] not in self.lts_home_care
                and self.age(a[0], a[2]) >= cal["age_min"]
            ]
            carry += per_year
            k = min(int(carry + 0.5), len(candidates))
            carry -= k
            for a in sorted(r.sample(candidates, k), key=lambda a: (a[2], a[0])):
                i = a[0]
                if not self.alive(i, a[2]):
                    continue
                outcome = None
                if a[2] + dt.timedelta(days=91) <= self.end:
                    outcome = _choice_weighted(r, cal["day91_outcomes"])
                    if outcome == "not_recorded":
                        outcome = None
                    elif outcome == "died":
                        died = a[2] + dt.timedelta(days=r.randint(5, 90))
                        # alive at the day-91 point of an earlier reablement of theirs
                        earlier = last_discharge.get(i)
                        if earlier is not None and died <= earlier + dt.timedelta(days=91):
                            outcome = "in_hospital"
                        else:
                            self.death[i] = died
                last_discharge[i] = a[2]
                self.reablements.append((i, a, outcome))
        # Nothing happens to anyone after they died.
        self.admissions = [a for a in self.admissions if self.alive(a[0], a[1])]
        self.progress("hospital", self.years, self.years)

    # ---- care homes --------------------------------------------------------------------
    def _care_homes(self) -> None:
        r, cal = self.rng, self.cal["care_home_admissions"]
        self.care_home: dict[int, list[Any]] = {}  # person -> [admitted, type, episode row]
        self.home_episodes: list[list[Any]] = []  # [person, start, end, type, permanent, moved]
        for y in range(self.years):
            first, last = self.year_window(y)
            mid = first + dt.timedelta(days=182)
            for low, high, rate in (
                (65, 200, cal["per_100000_65_plus_a_year"]),
                (18, 64, cal["per_100000_18_64_a_year"]),
            ):
                pool = [
                    i
                    for i in range(self.n)
                    if low <= self.age(i, mid) <= high
                    and i not in self.care_home
                    and self.alive(i, last)
                ]
                k = int(rate * len(pool) / 100000 + r.random())
                weights, acc = [], 0.0
                for i in pool:
                    age = self.age(i, mid)
                    acc += 12 if age >= 85 else 4 if age >= 75 else 1
                    weights.append(acc)
                chosen: set[int] = set()
                while len(chosen) < min(k, len(pool)):
                    chosen.add(pool[bisect.bisect(weights, r.random() * acc)])
                for i in sorted(chosen):
                    day = self._rand_day(first, last)
                    kind = "nursing" if r.random() < cal["nursing_share"] else "residential"
                    row = [i, day, None, kind, True, False]
                    self.home_episodes.append(row)
                    self.care_home[i] = row
            # moves between homes: a resident admitted earlier moves to the other kind
            residents = sorted(i for i, row in self.care_home.items() if row[1] < first)
            moves = int(cal["moves_share"] * len(residents) * 0.25 + r.random())
            for i in r.sample(residents, min(moves, len(residents))):
                day = self._rand_day(first, last)
                old = self.care_home[i]
                if not self.alive(i, day):
                    continue
                old[2] = day
                kind = "residential" if old[3] == "nursing" else "nursing"
                row = [i, day, None, kind, True, True]
                self.home_episodes.append(row)
                self.care_home[i] = row
        self.progress("care homes", 1, 1)

    # ---- long-term support and multiple needs --------------------------------------------
    def _long_term_and_cohorts(self) -> None:
        r, mn = self.rng, self.cal["multiple_needs"]
        adults = [i for i in range(self.n) if 23 <= self.age(i, self.end) <= 64]
        adults = [i for i in adults if i not in self.lts_home_care and i not in self.care_home]
        wanted = {
            "core": round(mn["core_city"] * self.scale),
            "edge": round(mn["edge_city"] * self.scale),
            "stable": round(mn["stable_city"] * self.scale),
            None: round(mn["single_need_city"] * self.scale),
        }
        total = sum(wanted.values())
        # younger adults are likelier to face multiple disadvantage
        weights, acc = [], 0.0
        for i in adults:
            acc += 3 if self.age(i, self.end) < 45 else 1
            weights.append(acc)
        picked: list[int] = []
        seen: set[int] = set()
        while len(picked) < min(total, len(adults)):
            i = adults[bisect.bisect(weights, r.random() * acc)]
            if i not in seen:
                seen.add(i)
                picked.append(i)
        self.cohort: dict[int, str | None] = {}
        at = 0
        for name in ("core", "edge", "stable", None):
            for i in picked[at : at + wanted[name]]:
                self.cohort[i] = name
            at += wanted[name]
        self.progress("cohorts", 1, 1)

    # ---- staff ---------------------------------------------------------------------------
    def _staff(self) -> None:
        from caremap.auth.passwords import hash_password

        r, cal = self.rng, self.cal["staff"]
        password_hash = hash_password(cal["password"])  # once, for everyone
        per_team = max(cal["min_per_team"], round(self.n / cal["people_per_worker_other_teams"]))
        hub_leads = sum(1 for c in self.cohort.values() if c in ("core", "edge", "stable"))
        special = {
            "complex_needs_hub": math.ceil(hub_leads / cal["caseload_per_key_worker"]),
            "home_care_long_term": math.ceil(
                len(self.lts_home_care) * 0.7 / cal["caseload_per_key_worker"] / 2
            ),
        }
        roles = {
            "safeguarding_adults": "safeguarding_lead",
            "performance_commissioning": "manager",
            "caremap_administration": "admin",
        }
        key_working = {"complex_needs_hub", "home_care_long_term"}
        self.staff: dict[str, list[int]] = {}
        self.staff_names: dict[int, str] = {}
        created = _utc(self.start - dt.timedelta(days=30))
        for service, codes in sorted(self.service_teams.items()):
            for code in codes:
                n = max(per_team, special.get(service, 0))
                first = self.w.allocate("users", n)
                ids = []
                for k in range(n):
                    uid = first + k
                    given = r.choice(self.female if r.random() < 0.7 else self.male)
                    family = r.choice(self.family)
                    name = f"{given} {family}"
                    role = roles.get(service) or (
                        "key_worker" if service in key_working else "practitioner"
                    )
                    slug = "".join(
                        ch for ch in f"{given}.{family}".lower() if ch.isalnum() or ch == "."
                    )
                    self._row(
                        "users",
                        id=uid,
                        email=f"{slug}.{uid}@city.caremap.example",
                        full_name=name,
                        role=role,
                        team_id=self.team_ids[code],
                        password_hash=password_hash,
                        is_active=True,
                        is_team_lead=k == 0,
                        session_version=1,
                        password_changed_at=None,
                        version=1,
                        created_at=created,
                    )
                    ids.append(uid)
                    self.staff_names[uid] = name
                self.staff[code] = ids
        self.progress("staff", 1, 1)

    def team_for(self, service: str, i: int) -> str:
        """The service's team for the person's area (teams split Plymouth / the rest)."""
        codes = self.service_teams[service]
        if len(codes) == 1:
            return codes[0]
        plymouth = [c for c in codes if c.endswith("plymouth")]
        others = [c for c in codes if not c.endswith("plymouth")]
        if self.area[i] == 0 and plymouth:
            return plymouth[0]
        return (others or codes)[0]

    def worker(self, service: str, i: int) -> int:
        return self.rng.choice(self.staff[self.team_for(service, i)])

    # ---- people rows ---------------------------------------------------------------------
    def _write_people(self) -> None:
        from caremap.people.operations import search_name_for

        r = self.rng
        first_id = self.w.allocate("people", self.n)
        self.pid = [first_id + i for i in range(self.n)]
        self.given: list[str] = []
        self.family_of: list[str] = []
        self.postcode: list[str] = []
        self.district: list[str] = []
        languages = ["Polish", "Arabic", "Kurdish", "Romanian", "Portuguese", "Mandarin"]
        body = 0
        for i in range(self.n):
            area = self.areas[self.area[i]]
            given = r.choice(self.female if self.sex[i] == "female" else self.male)
            family = r.choice(self.family)
            district = r.choice(area["postcode_districts"])
            postcode = self._postcode(district)
            towns = self.towns[area["code"]]
            practice = r.choice(self.practices[self.area[i]])
            nhs = None
            if r.random() > 0.015:
                while True:
                    digits = f"999{body:06d}"
                    body += 1
                    total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
                    check = (11 - total % 11) % 11
                    if check != 10 and digits + str(check) not in self.taken_nhs:
                        nhs = digits + str(check)
                        break
            interpreter = r.random() < 0.02
            created = _utc(self.start - dt.timedelta(days=r.randrange(3650)), r.randrange(86400))
            if self.dob[i] >= self.start:
                created = _utc(self.dob[i] + dt.timedelta(days=r.randrange(30)), r.randrange(86400))
            row = {
                "id": self.pid[i],
                "local_ref": f"SC{self.pid[i]:08d}",
                "nhs_number": nhs,
                "given_name": given,
                "family_name": family,
                "preferred_name": None,
                "date_of_birth": self.dob[i],
                "date_of_death": self.death.get(i),
                "sex": self.sex[i],
                "address_line_1": f"{r.randint(1, 180)} {r.choice(self.streets)}",
                "address_line_2": None,
                "town": towns[r.randrange(len(towns))],
                "postcode": postcode,
                "no_fixed_abode": False,
                "phone": f"07700 900{r.randrange(1000):03d}" if r.random() < 0.4 else None,
                "email": None,
                "gp_practice_code": practice[0],
                "gp_practice_name": practice[1],
                "language": r.choice(languages) if interpreter else None,
                "interpreter_needed": interpreter,
                "communication_needs": None,
                "search_name": "",
                "registered_by_team_id": self.team_ids[self.team_for("gp_practices", i)],
                "registered_by_id": None,
                "status": "live",
                "merged_into_id": None,
                "merged_at": None,
                "updated_at": created,
                "version": 1,
                "created_at": created,
            }
            row["registered_by_id"] = r.choice(self.staff[self.team_for("gp_practices", i)])
            row["search_name"] = search_name_for(SimpleNamespace(**row))
            self.given.append(given)
            self.family_of.append(family)
            self.postcode.append(postcode)
            self.district.append(district)
            self._row("people", **row)
            if (i + 1) % 20000 == 0:
                self.progress("people", i + 1, self.n)
        self.progress("people", self.n, self.n)
        self._duplicates()

    def _duplicates(self) -> None:
        from caremap.people.operations import search_name_for

        r = self.rng
        k = round(self.n * self.duplicate_rate)
        if not k:
            return
        weights = self.cal["duplicates"]["kinds"]
        kinds = sorted(_choice_weighted(r, weights) for _ in range(k))
        # a transposed day and month needs a day that can be a month (and differs from it)
        can_swap = [
            i
            for i in range(self.n)
            if self.dob[i].day <= 12 and self.dob[i].day != self.dob[i].month
        ]
        swapped = r.sample(can_swap, min(kinds.count("transposed_date"), len(can_swap)))
        chosen = set(swapped)
        rest = r.sample(range(self.n), k + len(swapped))
        others = [i for i in rest if i not in chosen][: k - len(swapped)]
        other_kinds = [x for x in kinds if x != "transposed_date"]
        other_kinds += ["family_typo"] * (k - len(swapped) - len(other_kinds))
        pairs = [(i, "transposed_date") for i in swapped] + list(
            zip(others, other_kinds, strict=True)
        )
        pairs.sort()
        first = self.w.allocate("people", k)
        for n, (i, kind) in enumerate(pairs):
            born = self.dob[i]
            given, family, postcode = self.given[i], self.family_of[i], self.postcode[i]
            if kind == "transposed_date" and (born.day > 12 or born.day == born.month):
                kind = "family_typo"
            if kind == "family_typo":
                family = _typo(family, r)
            elif kind == "given_typo":
                given = _typo(given, r)
            elif kind == "transposed_date":
                born = dt.date(born.year, born.day, born.month)
            else:
                postcode = self._postcode(self.district[i])
            created = _utc(self._rand_day(self.start, self.end), r.randrange(86400))
            did = first + n
            row = {
                "id": did,
                "local_ref": f"SC{did:08d}",
                "nhs_number": None,
                "given_name": given,
                "family_name": family,
                "preferred_name": None,
                "date_of_birth": born,
                "date_of_death": None,
                "sex": self.sex[i],
                "address_line_1": f"{r.randint(1, 180)} {r.choice(self.streets)}",
                "address_line_2": None,
                "town": self.towns[self.areas[self.area[i]]["code"]][0],
                "postcode": postcode,
                "no_fixed_abode": False,
                "phone": None,
                "email": None,
                "gp_practice_code": None,
                "gp_practice_name": None,
                "language": None,
                "interpreter_needed": False,
                "communication_needs": None,
                "search_name": "",
                "registered_by_team_id": self.team_ids["council-contact-centre"],
                "registered_by_id": r.choice(self.staff["council-contact-centre"]),
                "status": "live",
                "merged_into_id": None,
                "merged_at": None,
                "updated_at": created,
                "version": 1,
                "created_at": created,
            }
            row["search_name"] = search_name_for(SimpleNamespace(**row))
            self._row("people", **row)
            self.report.planted_duplicates.append(PlantedDuplicate(self.pid[i], did, kind))

    # ---- episodes ------------------------------------------------------------------------
    def episode(self, i: int, service: str, kind: str, started: dt.date, **extra: Any) -> int:
        eid = self.w.allocate("episodes")
        ended = extra.get("ended_on")
        row = {
            "id": eid,
            "person_id": self.pid[i],
            "service_id": self.services[service],
            "referral_id": None,
            "kind": kind,
            "started_on": started,
            "ended_on": None,
            "end_reason": None,
            "discharged_on": None,
            "follow_up_due_on": None,
            "day91_outcome": None,
            "is_emergency": None,
            "discharge_ready_on": None,
            "admission_condition": None,
            "care_home_type": None,
            "is_permanent": None,
            "moved_from_care_home": None,
            "support_type": None,
            "homelessness_outcome": None,
            "created_by_id": extra.pop("created_by_id", None) or self.worker(service, i),
            "version": 1,
            "created_at": _utc(started, 9 * 3600 + self.rng.randrange(28800)),
        }
        row.update(extra)
        if ended is not None and row["end_reason"] is None:
            row["end_reason"] = "Episode completed"
        self._row("episodes", **row)
        if row["follow_up_due_on"] is not None:
            outcome = row["day91_outcome"]
            due = row["follow_up_due_on"]
            self.task(
                i,
                "day91_follow_up",
                "Where is the person 91 days after discharge?",
                due,
                self.team_for(service, i),
                created=row["created_at"],
                episode_id=eid,
                done=(_utc(due, 14 * 3600), row["created_by_id"], {"day91_outcome": outcome})
                if outcome
                else None,
            )
        return eid

    def task(self, i, kind, title, due_on, team, *, created, done, **links) -> None:
        """A work task as the operations open it; done = (when, by whom, outcome) or None."""
        self._row(
            "tasks",
            id=self.w.allocate("tasks"),
            person_id=self.pid[i],
            kind=kind,
            title=title,
            due_on=due_on,
            owner_user_id=None,
            owner_team_id=self.team_ids[team],
            status="done" if done else "open",
            episode_id=links.get("episode_id"),
            referral_id=links.get("referral_id"),
            completed_at=done[0] if done else None,
            completed_by_id=done[1] if done else None,
            outcome=done[2] if done else None,
            version=2 if done else 1,
            created_at=created,
        )

    def _write_hospital_and_homes(self) -> None:
        for n, (i, day, end, is_emergency, ready, condition) in enumerate(self.admissions):
            ended = end if end <= self.end else None
            self.episode(
                i,
                "hospital_discharge",
                "hospital_admission",
                day,
                ended_on=ended,
                end_reason="Discharged" if ended else None,
                is_emergency=is_emergency,
                discharge_ready_on=ready if ready <= self.end and ready != end else None,
                admission_condition=condition,
            )
            if n % 50000 == 0:
                self.progress("admissions", n, len(self.admissions))
        for i, day, end, kind, permanent, moved in self.home_episodes:
            end = end or self.death.get(i)
            self.episode(
                i,
                "home_care_long_term",
                "care_home_admission",
                day,
                ended_on=end,
                end_reason=(
                    "Moved to another care home"
                    if end and not self.death.get(i)
                    else "Died"
                    if end
                    else None
                ),
                care_home_type=kind,
                is_permanent=permanent,
                moved_from_care_home=moved,
            )
        self.progress("admissions", len(self.admissions), len(self.admissions))

    # ---- referrals -----------------------------------------------------------------------
    def _route(self, i: int, needs: tuple[str, ...], urgency: str, source: str, day, opened):
        from caremap.routing.engine import Facts, route

        facts = Facts(
            needs=frozenset(needs),
            urgency=urgency,
            source=source,
            age=self.age(i, day),
            area=self.district[i],
            open_services=frozenset(opened),
        )
        key = (facts.needs, urgency, source, facts.age, facts.area, facts.open_services)
        cached = self._route_cache.get(key)
        if cached is None:
            routes = route(facts, self.rules)
            cached = (
                facts.as_dict(),
                [
                    (
                        rt.service,
                        "fall_through" if rt.fell_through else "rules",
                        rt.explanation(),
                        rt.actions,
                    )
                    for rt in routes
                ],
            )
            self._route_cache[key] = cached
        return cached

    def refer(
        self,
        i: int,
        day: dt.date,
        needs: tuple[str, ...],
        *,
        urgency: str,
        source: str,
        episodes: dict[str, dict[str, Any]] | None = None,
        force_accept: bool = False,
        opened: tuple[str, ...] = (),
    ) -> dict[str, int]:
        """Route a referral through the rules and play out each service's answer.

        `episodes` maps a target service to the episode it starts when accepted; returns
        {service: referral id} for the accepted ones."""
        r = self.rng
        received = _utc(day, 8 * 3600 + r.randrange(10 * 3600))
        if received > self.now:
            received = self.now - dt.timedelta(hours=1)
        facts, routes = self._route(i, needs, urgency, source, day, opened)
        team = SOURCE_TEAMS[source]
        team = self.team_for("gp_practices", i) if team == "gp-practices" else team
        actor = r.choice(self.staff[team])
        if source == "self":
            referrer = f"{self.given[i]} {self.family_of[i]}"
        elif source == "family_or_carer":
            referrer = f"{r.choice(self.female + self.male)} {self.family_of[i]}"
        else:
            referrer = self.staff_names[actor]
        consent = r.random() < 0.96
        if i not in self.consented:
            self.consented.add(i)
            self._row(
                "consent_records",
                id=self.w.allocate("consent_records"),
                person_id=self.pid[i],
                status="given" if consent else "refused",
                decided_on=received.date(),
                note=None,
                recorded_by_id=actor,
                recorded_at=received,
            )
        sid = self.w.allocate("referral_submissions")
        self._row(
            "referral_submissions",
            id=sid,
            person_id=self.pid[i],
            idempotency_key=None,
            submitted_by_id=actor,
            created_at=received,
        )
        accepted: dict[str, int] = {}
        base = {
            "submission_id": sid,
            "person_id": self.pid[i],
            "source": source,
            "referrer_name": referrer,
            "referrer_organisation": SOURCE_ORGANISATIONS[source],
            "referrer_contact": f"01632 960{r.randrange(1000):03d}",
            "details": None,
            "urgency": urgency,
            "consent_to_share": consent,
            "received_at": received,
            "created_by_id": actor,
        }
        hours = self.response_hours[urgency]
        for service, kind, explanation, _actions in routes:
            episode = (episodes or {}).get(service)
            self._one_referral(
                i,
                base,
                service,
                kind,
                explanation,
                facts,
                hours,
                episode,
                force_accept,
                accepted,
                redirected_from=None,
            )
        return accepted

    def _one_referral(
        self,
        i,
        base,
        service,
        kind,
        explanation,
        facts,
        hours,
        episode,
        force_accept,
        accepted,
        redirected_from,
    ) -> None:
        r, cal = self.rng, self.cal["referrals"]
        rid = self.w.allocate("referrals")
        received = base["received_at"] if redirected_from is None else redirected_from[1]
        due = received + dt.timedelta(hours=hours)
        actor = base["created_by_id"]
        changes = [(received, None, "received", actor, None)]
        routed_at = received
        changes.append((routed_at, "received", "routed", actor, None))
        answer_within = {"emergency": 1.5, "urgent": 30, "routine": 240}[base["urgency"]]
        responded = routed_at + dt.timedelta(hours=r.random() * answer_within * 1.3 + 0.25)
        unanswered = responded > self.now
        status, decline_reason, outcome, onward = "routed", None, None, None
        responder = self.worker(service, i)
        if not unanswered:
            u = 1.0 if force_accept else r.random()
            if u < cal["declined_share"]:
                status, decline_reason = "declined", r.choice(DECLINE_REASONS)
                changes.append((responded, "routed", "declined", responder, decline_reason))
            elif u < cal["declined_share"] + cal["redirected_share"] and redirected_from is None:
                status = "redirected"
                reason = r.choice(REDIRECT_REASONS)
                changes.append((responded, "routed", "redirected", responder, reason))
                strand = self._strand_of(service)
                others = [s for s in strand if s != service]
                onward = r.choice(others) if others else "spa_triage"
            else:
                status = "accepted"
                changes.append((responded, "routed", "accepted", responder, None))
                accepted[service] = rid
                if episode is not None:
                    status = "active"
                    changes.append((responded, "accepted", "active", responder, None))
                    ended = episode.get("ended_on")
                    if ended is not None and _utc(ended, 16 * 3600) <= self.now:
                        status = "closed"
                        outcome = "Episode ended: " + (episode.get("end_reason") or "completed")
                        changes.append(
                            (_utc(ended, 16 * 3600), "active", "closed", responder, outcome)
                        )
                else:
                    closes = responded + dt.timedelta(days=r.randint(3, 60))
                    if closes <= self.now:
                        status = "closed"
                        outcome = "Seen and supported; no ongoing episode needed"
                        changes.append((closes, "accepted", "closed", responder, outcome))
        last = changes[-1][0]
        self._row(
            "referrals",
            id=rid,
            reference=f"Y{rid:08d}",
            service_id=self.services[service],
            due_at=due,
            status=status,
            status_changed_at=last,
            responded_at=None if unanswered else responded,
            decline_reason=decline_reason,
            outcome=outcome,
            redirected_from_id=redirected_from[0] if redirected_from else None,
            version=1 + len(changes) - 1,
            created_at=received if redirected_from is None else redirected_from[1],
            **{**base, "received_at": base["received_at"]},
        )
        for need in facts["needs"]:
            self.w.add("referral_needs", (rid, need))
        self.task(
            i,
            "referral_response",
            f"Answer referral Y{rid:08d} ({base['urgency']})",
            due.date(),
            self.team_for(service, i),
            created=received if redirected_from is None else redirected_from[1],
            referral_id=rid,
            done=None if unanswered else (responded, responder, None),
        )
        if redirected_from is not None:
            kind, facts_row = "redirect", {"redirected_from": f"Y{redirected_from[0]:08d}"}
            explanation = [
                {
                    "rule": None,
                    "name": "Redirected by the receiving service",
                    "matched": [f"{redirected_from[2]} redirected it: {redirected_from[3]}"],
                }
            ]
        else:
            facts_row = facts
        self._row(
            "routing_decisions",
            id=self.w.allocate("routing_decisions"),
            referral_id=rid,
            decided_at=received if redirected_from is None else redirected_from[1],
            decided_by_id=actor,
            kind=kind,
            explanation=explanation,
            facts=facts_row,
        )
        for at, frm, to, who, reason in changes:
            self._row(
                "referral_status_changes",
                id=self.w.allocate("referral_status_changes"),
                referral_id=rid,
                at=at,
                from_status=frm,
                to_status=to,
                actor_id=who,
                reason=reason,
            )
        if episode is not None and status in ("active", "closed"):
            spec = dict(episode)
            service_code = spec.pop("service", service)
            kind_code = spec.pop("kind", "general")
            started = spec.pop("started_on", None) or responded.date()
            self.episode(
                i,
                service_code,
                kind_code,
                started,
                referral_id=rid,
                created_by_id=responder,
                **spec,
            )
        if onward is not None:
            self._one_referral(
                i,
                base,
                onward,
                "redirect",
                None,
                facts,
                hours,
                None,
                False,
                accepted,
                redirected_from=(rid, responded, self._service_name(service), changes[-1][4]),
            )

    def _strand_of(self, service: str) -> list[str]:
        return self._strands[self._service_strand[service]]

    def _service_name(self, service: str) -> str:
        return self._service_names[service]

    def _referrals(self) -> None:
        from caremap.catalogue.models import Service, Strand

        r, cal = self.rng, self.cal
        self._route_cache: dict[Any, Any] = {}
        self.consented: set[int] = set()
        rows = self.connection.execute(
            sa.select(Service.code, Service.name, Strand.code)
            .join(Strand, Service.strand_id == Strand.id)
            .where(Service.is_active.is_(True))
            .order_by(Service.code)
        ).all()
        self._service_names = {code: name for code, name, _ in rows}
        self._service_strand = {code: strand for code, _, strand in rows}
        self._strands: dict[str, list[str]] = {}
        for code, _, strand in rows:
            self._strands.setdefault(strand, []).append(code)
        total_steps = 7
        # 1. discharge into reablement at 65+ (the rules send it to reablement)
        for i, a, outcome in self.reablements:
            discharged = a[2]
            follow_up = discharged + dt.timedelta(days=91)
            ended = discharged + dt.timedelta(days=r.randint(10, 42))
            ended = ended if ended <= self.end else None
            died = self.death.get(i)
            if died and ended and died < ended:
                ended = died
            self.refer(
                i,
                discharged,
                ("hospital_discharge",),
                urgency="urgent",
                source="hospital",
                force_accept=True,
                episodes={
                    "reablement": {
                        "kind": "reablement",
                        "started_on": discharged,
                        "discharged_on": discharged,
                        "follow_up_due_on": follow_up,
                        "day91_outcome": outcome,
                        "ended_on": ended,
                        "end_reason": "Reablement completed" if ended else None,
                    }
                },
            )
        self.progress("referrals", 1, total_steps)
        # 2. discharges under 65 to the hospital discharge team
        share = cal["referrals"]["per_1000_a_year"]["discharge_under_65_share_of_admissions"]
        for i, _day, end, is_emergency, _ready, _c in self.admissions:
            if (
                is_emergency
                and end <= self.end
                and 18 <= self.age(i, end) <= 64
                and r.random() < share
            ):
                self.refer(i, end, ("hospital_discharge",), urgency="urgent", source="hospital")
        self.progress("referrals", 2, total_steps)
        # 3. people-rate referrals: falls, crisis, Big 6, wellbeing, no rule
        rates = cal["referrals"]["per_1000_a_year"]
        big6 = [
            n
            for n in (
                "bronchiolitis",
                "fever",
                "gastroenteritis",
                "head_injury",
                "asthma",
                "abdominal_pain",
            )
        ]
        wellbeing = ["social_isolation", "weight", "smoking", "carer_strain", "medication_concern"]
        kinds = [
            ("falls", 65, 200, rates["falls_65_plus"]),
            ("crisis", 18, 64, rates["mental_health_crisis_18_64"]),
            ("big6", 0, 17, rates["big6_children"]),
            ("wellbeing", 18, 200, rates["wellbeing_adults"]),
            ("norule", 18, 200, rates["no_rule_adults"]),
        ]
        thresholds = {k: math.exp(-rate / 1000 * self.years) for k, _, _, rate in kinds}
        for i in range(self.n):
            age = self.age(i, self.end)
            for name, low, high, _rate in kinds:
                if not low <= age <= high:
                    continue
                for _ in range(_poisson(r, thresholds[name])):
                    day = self._rand_day(max(self.start, self.dob[i]), self.end)
                    if not self.alive(i, day):
                        continue
                    opened = ("home_care_long_term",) if i in self.lts_home_care else ()
                    if name == "falls":
                        needs = ("fall",) if r.random() < 0.7 else ("fall", "equipment")
                        self.refer(
                            i,
                            day,
                            needs,
                            urgency=r.choice(("urgent", "emergency")),
                            source=r.choice(("ambulance", "gp", "nhs_111", "family_or_carer")),
                            opened=opened,
                        )
                    elif name == "crisis":
                        self.refer(
                            i,
                            day,
                            ("mental_health_crisis",),
                            urgency="emergency",
                            source=r.choice(("police", "nhs_111", "self", "hospital")),
                        )
                    elif name == "big6":
                        self.refer(
                            i,
                            day,
                            (f"big6_{r.choice(big6)}",),
                            urgency="urgent",
                            source=r.choice(("gp", "nhs_111", "family_or_carer")),
                        )
                    elif name == "wellbeing":
                        self.refer(
                            i,
                            day,
                            (r.choice(wellbeing),),
                            urgency="routine",
                            source=r.choice(("gp", "self", "other_service")),
                        )
                    else:
                        self.refer(
                            i,
                            day,
                            (r.choice(("long_term_condition", "frailty")),),
                            urgency="routine",
                            source="gp",
                        )
        self.progress("referrals", 3, total_steps)
        # 4. homelessness prevention, by referral
        hp = cal["homelessness_prevention"]
        threshold = math.exp(-hp["per_1000_adults_a_year"] / 1000 * self.years)
        for i in range(self.n):
            if self.age(i, self.end) < 18 or i in self.cohort:
                continue
            for _ in range(_poisson(r, threshold)):
                day = self._rand_day(self.start, self.end)
                ended = day + dt.timedelta(days=r.randint(14, 56))
                done = ended <= self.end
                self.refer(
                    i,
                    day,
                    ("homelessness",),
                    urgency="urgent",
                    source=r.choice(("self", "other_service", "police")),
                    episodes={
                        "homelessness_prevention": {
                            "kind": "homelessness_prevention",
                            "ended_on": ended if done else None,
                            "homelessness_outcome": _choice_weighted(r, hp["outcomes"])
                            if done
                            else None,
                        }
                    },
                )
        self.progress("referrals", 4, total_steps)
        # 5. multiple needs: assessments and referrals to the hub (or a single service)
        self._multiple_needs()
        self.progress("referrals", 5, total_steps)
        # 6. long-term support with self-directed support
        self._long_term_support()
        self.progress("referrals", 6, total_steps)
        self.progress("referrals", total_steps, total_steps)

    def _multiple_needs(self) -> None:
        from caremap.cohorts.rules import derive_cohort

        r = self.rng
        self.hub_people: list[int] = []
        for i in sorted(self.cohort):
            cohort = self.cohort[i]
            if cohort is None:
                count = 1
            elif cohort == "core":
                count = r.choice((2, 3, 3, 4))
            else:
                count = r.choice((2, 2, 3))
            domains = r.sample(_COHORT_DOMAINS, count)
            if cohort == "core":
                stability, engagement = (
                    ("crisis", r.choice(("engaging", "partly_engaging", "not_engaging")))
                    if count < 3 or r.random() < 0.5
                    else (r.choice(("unstable", "stable")), "not_engaging")
                )
            elif cohort == "edge":
                stability = "unstable"
                engagement = r.choice(("engaging", "partly_engaging"))
            elif cohort == "stable":
                stability, engagement = "stable", r.choice(("engaging", "partly_engaging"))
            else:
                stability = r.choice(("stable", "unstable"))
                engagement = r.choice(("engaging", "partly_engaging", "not_engaging"))
            needs = {d: d in domains for d in _COHORT_DOMAINS}
            # domestic abuse is a domain of the cohort rule too: only beside two or more others
            needs["domestic_abuse"] = cohort is not None and r.random() < 0.1
            derived = derive_cohort(needs=needs, engagement=engagement, stability=stability)
            derived = derived.value if derived is not None else None
            assessed = self._rand_day(self.start + dt.timedelta(days=60), self.end)
            worker = self.worker("complex_needs_hub", i)
            if r.random() < 0.3:  # an earlier assessment, before things changed
                earlier = assessed - dt.timedelta(days=r.randint(60, 400))
                self._assessment(i, earlier, worker, needs, "partly_engaging", "unstable")
            self._assessment(i, assessed, worker, needs, engagement, stability, derived)
            first = assessed - dt.timedelta(days=r.randint(1, 60))
            if len(domains) >= 2:
                self.hub_people.append(i)
                self.refer(
                    i,
                    first,
                    tuple(sorted(domains)),
                    urgency="urgent",
                    source=r.choice(("police", "gp", "other_service", "self")),
                    force_accept=True,
                    episodes={"complex_needs_hub": {"started_on": first + DAY}},
                )
            else:
                service = {
                    "homelessness": "homelessness_prevention",
                    "substance_misuse": "substance_misuse_treatment",
                    "offending": "offender_support",
                    "mental_health": "community_mental_health",
                }[domains[0]]
                ended = first + dt.timedelta(days=r.randint(30, 200))
                done = ended <= self.end
                extra: dict[str, Any] = {"ended_on": ended if done else None}
                if service == "homelessness_prevention":
                    extra["kind"] = "homelessness_prevention"
                    extra["homelessness_outcome"] = (
                        _choice_weighted(r, self.cal["homelessness_prevention"]["outcomes"])
                        if done
                        else None
                    )
                self.refer(
                    i,
                    first,
                    (domains[0],),
                    urgency="routine",
                    source="gp",
                    episodes={service: extra},
                )

    def _assessment(self, i, day, worker, needs, engagement, stability, derived=None) -> None:
        from caremap.cohorts.rules import derive_cohort

        if derived is None:
            found = derive_cohort(needs=needs, engagement=engagement, stability=stability)
            derived = found.value if found is not None else None
        self._row(
            "needs_assessments",
            id=self.w.allocate("needs_assessments"),
            person_id=self.pid[i],
            assessed_on=day,
            assessed_by_id=worker,
            engagement=engagement,
            stability=stability,
            derived_cohort=derived,
            override_cohort=None,
            override_reason=None,
            recorded_at=_utc(day, 15 * 3600),
            **needs,
        )

    def _long_term_support(self) -> None:
        r, lts = self.rng, self.cal["long_term_support"]
        extra_needs = ["telecare", "housing_adaptation", "money_management"]
        for i in sorted(self.lts_home_care):
            first = self._rand_day(self.start - dt.timedelta(days=365 * 3), self.end)
            day = max(first, self.start)
            if not self.alive(i, day):
                continue
            age = self.age(i, day)
            main = "personal_care" if age >= 65 or r.random() < 0.6 else "supported_living"
            service = "home_care_long_term" if main == "personal_care" else "supported_living"
            needs = [main, "personal_budget"]
            if r.random() < 0.3:
                needs.append(r.choice(extra_needs))
            support = _choice_weighted(r, lts["support_types"])
            end = self.death.get(i)
            self.refer(
                i,
                day,
                tuple(sorted(needs)),
                urgency="routine",
                source=r.choice(("gp", "family_or_carer", "hospital", "other_service")),
                force_accept=True,
                episodes={
                    service: {
                        "started_on": day,
                        "ended_on": end,
                        "end_reason": "Died" if end else None,
                    },
                    "personal_budgets": {
                        "kind": "self_directed_support",
                        "started_on": day,
                        "support_type": support,
                        "ended_on": end,
                        "end_reason": "Died" if end else None,
                    },
                },
            )

    # ---- care teams and key workers -------------------------------------------------------
    def _care_teams(self) -> None:
        r = self.rng

        def member(i, uid, role, lead, started, ended=None, reason=None):
            self._row(
                "care_team_members",
                id=self.w.allocate("care_team_members"),
                person_id=self.pid[i],
                user_id=uid,
                role=role,
                is_lead=lead,
                started_at=started,
                ended_at=ended,
                end_reason=reason,
                assigned_by_id=None,
                version=1 if ended is None else 2,
                created_at=started,
            )

        self.lead_team: dict[int, str] = {}

        def leads(people: list[int], service: str, share: float) -> None:
            for i in people:
                if r.random() >= share:
                    continue
                started = _utc(self._rand_day(self.start, self.end - DAY), 11 * 3600)
                team = self.staff[self.team_for(service, i)]
                first = team[self.pid[i] % len(team)]
                if self.death.get(i):
                    continue
                self.lead_team[i] = self.team_for(service, i)
                if r.random() < 0.2 and len(team) > 1:  # handed over once
                    handover = started + (self.now - started) * r.uniform(0.2, 0.8)
                    member(
                        i,
                        first,
                        "key worker",
                        True,
                        started,
                        handover,
                        "Handover: caseload rebalanced",
                    )
                    second = team[(self.pid[i] + 1) % len(team)]
                    member(i, second, "key worker", True, handover)
                else:
                    member(i, first, "key worker", True, started)

        stable = [i for i in self.hub_people if self.cohort[i] == "stable"]
        active = [i for i in self.hub_people if self.cohort[i] in ("core", "edge")]
        leads(active, "complex_needs_hub", 1.0)
        leads(stable, "complex_needs_hub", 0.5)
        leads(sorted(self.lts_home_care), "home_care_long_term", 0.7)
        # other workers in the care team of people with several needs
        for i in active:
            if r.random() < 0.5 and not self.death.get(i):
                started = _utc(self._rand_day(self.start, self.end - DAY), 14 * 3600)
                member(
                    i, self.worker("substance_misuse_treatment", i), "practitioner", False, started
                )
        self.progress("care teams", 1, 1)

    # ---- carers --------------------------------------------------------------------------
    def _carers(self) -> None:
        r, c = self.rng, self.cal["carers"]
        adults_by_area = [
            [i for i in people if 18 <= self.age(i, self.end) <= 85] for people in self.by_area
        ]
        for i in range(self.n):
            age = self.age(i, self.end)
            if i in self.lts_home_care:
                share = c["share_with_carer_long_term_support"]
            elif age >= 80:
                share = c["share_with_carer_80_plus"]
            elif age >= 18:
                share = c["share_with_carer_other_adults"]
            else:
                continue
            if r.random() >= share:
                continue
            u = r.random()
            involved = True if u < c["involved_in_care_share"] else (None if u > 0.96 else False)
            linked = None
            if r.random() < c["carer_has_record_share"]:
                pool = adults_by_area[self.area[i]]
                k = pool[r.randrange(len(pool))]
                if k != i:
                    linked = k
            if linked is not None:
                name = f"{self.given[linked]} {self.family_of[linked]}"
            else:
                name = f"{r.choice(self.female + self.male)} {self.family_of[i]}"
            relation = (
                r.choice(("Wife", "Husband", "Partner"))
                if age >= 65 and r.random() < 0.4
                else r.choice(("Daughter", "Son", "Daughter-in-law", "Friend", "Neighbour"))
            )
            created = _utc(self._rand_day(self.start, self.end), 12 * 3600)
            self._row(
                "related_people",
                id=self.w.allocate("related_people"),
                person_id=self.pid[i],
                name=name,
                relationship_to_person=relation,
                phone=f"01632 960{r.randrange(1000):03d}",
                email=None,
                address=None,
                is_carer=True,
                is_next_of_kin=r.random() < 0.7,
                involved_in_care=involved,
                carer_person_id=self.pid[linked] if linked is not None else None,
                notes=None,
                is_active=True,
                recorded_by_id=r.choice(self.staff[self.team_for("gp_practices", i)]),
                version=1,
                created_at=created,
            )
        self.progress("carers", 1, 1)

    # ---- safeguarding --------------------------------------------------------------------
    def _safeguarding(self) -> None:
        from caremap.safeguarding.deadlines import add_working_days

        r, s = self.rng, self.cal["safeguarding"]
        per_year = s["concerns_per_year_city"] * self.scale
        adults = [i for i in range(self.n) if self.age(i, self.end) >= 18]
        weights, acc = [], 0.0
        for i in adults:
            age = self.age(i, self.end)
            w = 6 if age >= 85 else 3 if age >= 75 else 1.5 if age >= 65 else 1
            if i in self.cohort or i in self.lts_home_care:
                w *= 4
            acc += w
            weights.append(acc)
        leads = self.staff["safeguarding-adults"]
        raisers = [u for code, ids in sorted(self.staff.items()) for u in ids]
        by_date = sorted((row[1], i) for i, row in self.care_home.items())
        admitted = [d for d, _ in by_date]
        residents = [i for _, i in by_date]
        carry = 0.0
        n_concerns = 0
        for y in range(self.years):
            first, last = self.year_window(y)
            carry += per_year
            k = int(carry + 0.5)
            carry -= k
            for _ in range(k):
                day = self._rand_day(first, last)
                in_home = r.random() < s["care_home_share"]
                known = bisect.bisect_right(admitted, day)
                i = None
                if in_home and known:
                    i = residents[r.randrange(known)]
                    location = (
                        "nursing_home"
                        if self.care_home[i][3] == "nursing"
                        else "residential_care_home"
                    )
                else:
                    for _try in range(20):
                        i = adults[bisect.bisect(weights, r.random() * acc)]
                        if i not in self.care_home or self.care_home[i][1] > day:
                            break
                    location = r.choice(
                        ("own_home", "own_home", "own_home", "community", "hospital", "other")
                    )
                if not self.alive(i, day) or self.dob[i] > day:
                    continue
                n_concerns += 1
                self._concern(i, day, location, leads, raisers, add_working_days)
        self.progress("safeguarding", 1, 1)

    def _concern(self, i, day, location, leads, raisers, add_working_days) -> None:
        r, s = self.rng, self.cal["safeguarding"]
        raised = _utc(day, 8 * 3600 + r.randrange(9 * 3600))
        if raised > self.now:
            raised = self.now - dt.timedelta(hours=2)
        due = add_working_days(raised, 2)
        cid = self.w.allocate("safeguarding_concerns")
        categories = sorted({_choice_weighted(r, ABUSE) for _ in range(r.choice((1, 1, 1, 2)))})
        triaged = raised + dt.timedelta(hours=r.uniform(2, s["triage_within_days_max"] * 24))
        lead = r.choice(leads)
        values = {
            "id": cid,
            "reference": f"Z{cid:08d}",
            "person_id": self.pid[i],
            "raised_by_id": r.choice(raisers),
            "raised_at": raised,
            "categories": categories,
            "risk_location": location,
            "risk_source": r.choice(
                (
                    "known_to_the_person",
                    "known_to_the_person",
                    "service_provider",
                    "stranger",
                    "unknown",
                )
            ),
            "immediate_actions": "Checked the person was safe; told the safeguarding team.",
            "what_happened": "Concern raised during a visit (synthetic record).",
            "person_wishes": "To feel safe where they live" if r.random() < 0.8 else None,
            "wishes_not_asked_reason": None,
            "needs_advocate": r.random() < 0.15,
            "capacity": r.choice(
                ("has_capacity", "has_capacity", "lacks_capacity", "not_assessed")
            ),
            "capacity_note": None,
            "status": "awaiting_triage",
            "triage_due_at": due,
            "lead_id": None,
            "test_care_and_support_needs": None,
            "test_abuse_or_neglect": None,
            "test_unable_to_protect_self": None,
            "decision": None,
            "decision_reason": None,
            "signposting": None,
            "triaged_at": None,
            "triaged_by_id": None,
            "closed_at": None,
            "version": 1,
        }
        if values["person_wishes"] is None:
            values["wishes_not_asked_reason"] = "The person could not be asked at the time"
        enquiry = None
        if triaged <= self.now:
            u = r.random()
            decision = (
                "section_42_enquiry"
                if u < s["section_42_share"]
                else "other_enquiry"
                if u < s["section_42_share"] + s["other_enquiry_share"]
                else "no_further_action"
            )
            s42 = decision == "section_42_enquiry"
            values.update(
                lead_id=lead,
                test_care_and_support_needs=True if s42 else r.random() < 0.6,
                test_abuse_or_neglect=True if s42 else r.random() < 0.5,
                test_unable_to_protect_self=s42,
                decision=decision,
                decision_reason="Section 42(1) test met" if s42 else "Section 42(1) test not met",
                signposting=None if decision != "no_further_action" else "Advice given",
                triaged_at=triaged,
                triaged_by_id=lead,
                status=decision,
                version=3,
            )
            if decision == "no_further_action":
                values["closed_at"] = triaged
            else:
                enquiry = (s42, triaged.date())
        concluded = None
        if enquiry is not None:
            closes = enquiry[1] + dt.timedelta(
                days=int(r.expovariate(1 / s["enquiry_days_mean"])) + 7
            )
            if closes <= self.end:
                concluded = closes
                values["status"] = "closed"
                values["closed_at"] = _utc(closes, 16 * 3600)
                values["version"] = 4
        self._row("safeguarding_concerns", **values)
        if enquiry is None:
            return
        risk = _choice_weighted(r, s["risk_outcomes"]) if concluded else None
        self._row(
            "safeguarding_enquiries",
            id=self.w.allocate("safeguarding_enquiries"),
            concern_id=cid,
            person_id=self.pid[i],
            is_section_42=enquiry[0],
            lead_id=lead,
            started_on=enquiry[1],
            status="concluded" if concluded else "open",
            substantiated=_choice_weighted(r, s["substantiated"]) if concluded else None,
            risk_outcome=risk,
            risk_remains_reason=(
                "The person chose to accept the risk" if risk == "remains" else None
            ),
            outcomes_achieved=_choice_weighted(r, s["outcomes_achieved"]) if concluded else None,
            conclusion="Enquiry concluded (synthetic record)" if concluded else None,
            closed_on=concluded,
            version=2 if concluded else 1,
        )

    # ---- medicines -----------------------------------------------------------------------
    def _medicines(self) -> None:
        r, m = self.rng, self.cal["medicines"]
        from caremap.medicines.operations import REVIEW_DUE_DAYS

        self.review_due = dt.timedelta(days=REVIEW_DUE_DAYS)
        flag_at = m["polypharmacy_flag_at"]
        pharmacist_team = self.team_for("pharmacist_medication_review", 0)
        pharmacists = self.staff[pharmacist_team]
        for i in range(self.n):
            age = self.age(i, self.end)
            band = next(
                b
                for b in m["by_age"]
                if age >= b["age_from"] and (b["age_to"] is None or age <= b["age_to"])
            )
            u = r.random()
            if u < band["eight_plus"]:
                count = r.randint(8, 12)
            elif u < band["five_plus"]:
                count = r.randint(5, 7)
            elif u < band["any"]:
                count = r.randint(1, 4)
            else:
                continue
            died = self.death.get(i)
            earliest = max(self.dob[i], self.start - dt.timedelta(days=365 * 3))
            recorder = r.choice(self.staff[self.team_for("gp_practices", i)])
            picks = r.sample(range(len(MEDICINES)), count)
            stopped_count = r.randint(1, 2) if r.random() < m["stopped_history_share"] else 0
            extra = [k for k in range(len(MEDICINES)) if k not in picks]
            for n, k in enumerate(picks + r.sample(extra, stopped_count)):
                name, dose, route, frequency = MEDICINES[k]
                started = self._rand_day(earliest, self.end)
                stopped, reason = None, None
                if died is not None and started >= died:
                    started = died - dt.timedelta(days=r.randint(1, 400))
                if n >= count:
                    if started >= self.end:
                        started = self.end - DAY
                    stopped = self._rand_day(started + DAY, self.end)
                    reason = "Stopped at review"
                if died is not None and (stopped is None or stopped > died):
                    stopped, reason = max(died, started + DAY), "Died"
                self._row(
                    "medicines",
                    id=self.w.allocate("medicines"),
                    person_id=self.pid[i],
                    name=name,
                    dmd_code=None,
                    dose=dose,
                    route=route,
                    frequency=frequency,
                    started_on=started,
                    stopped_on=stopped,
                    stop_reason=reason,
                    source=MEDICINE_SOURCES[n % len(MEDICINE_SOURCES)],
                    recorded_by_id=recorder,
                    version=1 if stopped is None else 2,
                    created_at=_utc(started, 13 * 3600),
                )
            if count >= flag_at and died is None:
                self._review(i, m, pharmacists, pharmacist_team, flag_at)
            if (i + 1) % 50000 == 0:
                self.progress("medicines", i + 1, self.n)
        self.progress("medicines", self.n, self.n)

    def _review(self, i, m, pharmacists, pharmacist_team, flag_at) -> None:
        """At the polypharmacy threshold the record opens a review task (for the lead key
        worker's team, else the pharmacists); a review in the last year closes it."""
        r = self.rng
        team = self.lead_team.get(i, pharmacist_team)
        title = f"Medication review: {flag_at} or more medicines"
        if r.random() < m["reviewed_share_flagged"]:
            reviewed = self._rand_day(self.end - dt.timedelta(days=364), self.end)
            reviewer = r.choice(pharmacists)
            self._row(
                "medication_reviews",
                id=self.w.allocate("medication_reviews"),
                person_id=self.pid[i],
                reviewed_on=reviewed,
                reviewed_by_id=reviewer,
                stopped=[],
                changes=None,
                outcome="Reviewed with the person; no changes needed",
                recorded_at=_utc(reviewed, 15 * 3600),
            )
            opened = reviewed - dt.timedelta(days=r.randint(1, 27))
            done = (_utc(reviewed, 15 * 3600), reviewer, None)
        else:
            opened = self._rand_day(self.end - dt.timedelta(days=60), self.end)
            done = None
        self.task(
            i,
            "medication_review",
            title,
            opened + self.review_due,
            team,
            created=_utc(opened, 7 * 3600),
            done=done,
        )


def _typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard: a letter dropped, doubled or two swapped."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1 :]
    if edit == "swap" and name[i - 1] != name[i]:
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]
