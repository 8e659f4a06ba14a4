"""The people rows: a record for everyone, then the planted duplicates a matcher must find."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from caremap.people.enums import RecordStatus, Sex
from caremap.people.operations import search_name_for
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted, postcode, typo, utc
from caremap.synthetic.phases.hospital import Hospital
from caremap.synthetic.phases.names import Names
from caremap.synthetic.phases.population import Population
from caremap.synthetic.phases.staff import Staff

GP_SERVICE = "gp_practices"
# Where a duplicate record is made: someone registered again at the front door.
DUPLICATES_TEAM = "council-contact-centre"


@dataclass(frozen=True)
class PlantedDuplicate:
    original_id: int
    duplicate_id: int
    kind: str


@dataclass
class People:
    ids: list[int]  # person index -> people.id
    given: list[str]
    family: list[str]
    postcode: list[str]
    district: list[str]
    planted: list[PlantedDuplicate] = field(default_factory=list)

    def full_name(self, i: int) -> str:
        """As a referrer or carer would write it."""
        return f"{self.given[i]} {self.family[i]}"


def _search_name(given: str, family: str) -> str:
    return search_name_for(
        SimpleNamespace(given_name=given, preferred_name=None, family_name=family)
    )


def _nhs_numbers(taken: frozenset[str]):
    """Valid NHS numbers in the 999 range the NHS keeps for test data, skipping those
    whose check digit would be 10 (no such number) and those already in the database."""
    body = 0
    while True:
        digits = f"999{body:06d}"
        body += 1
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10 and digits + str(check) not in taken:
            yield digits + str(check)


def write_people(
    ctx: CityContext, names: Names, population: Population, staff: Staff, hospital: Hospital
) -> People:
    """Everyone's record as registered at their GP practice, with the date of death the
    hospital phase decided; returns what later rows need to name and refer them."""
    r, ref = ctx.rng, ctx.reference
    first_id = ctx.writer.allocate("people", ctx.people)
    people = People(
        ids=[first_id + i for i in range(ctx.people)], given=[], family=[], postcode=[], district=[]
    )
    languages = ctx.lookups["languages"]
    numbers = _nhs_numbers(ref.taken_nhs)
    for i in range(ctx.people):
        area = ctx.areas[population.area[i]]
        given = r.choice(names.female if population.sex[i] is Sex.FEMALE else names.male)
        family = r.choice(names.family)
        district = r.choice(area["postcode_districts"])
        code = postcode(r, district)
        towns = names.towns[area["code"]]
        practice = r.choice(names.practices[population.area[i]])
        # a few people are not registered with a GP and have no NHS number on record
        nhs = next(numbers) if r.random() > 0.015 else None
        interpreter = r.random() < 0.02
        created = utc(ctx.start - dt.timedelta(days=r.randrange(3650)), r.randrange(86400))
        if population.dob[i] >= ctx.start:
            created = utc(
                population.dob[i] + dt.timedelta(days=r.randrange(30)), r.randrange(86400)
            )
        gp_team = ref.team_for(GP_SERVICE, population.area[i])
        pid = people.ids[i]
        row = {
            "id": pid,
            "local_ref": f"SC{pid:08d}",
            "nhs_number": nhs,
            "given_name": given,
            "family_name": family,
            "preferred_name": None,
            "date_of_birth": population.dob[i],
            "date_of_death": hospital.deaths.get(i),
            "sex": population.sex[i],
            "address_line_1": f"{r.randint(1, 180)} {r.choice(names.streets)}",
            "address_line_2": None,
            "town": towns[r.randrange(len(towns))],
            "postcode": code,
            "no_fixed_abode": False,
            "phone": f"07700 900{r.randrange(1000):03d}" if r.random() < 0.4 else None,
            "email": None,
            "gp_practice_code": practice[0],
            "gp_practice_name": practice[1],
            "language": r.choice(languages) if interpreter else None,
            "interpreter_needed": interpreter,
            "communication_needs": None,
            "search_name": _search_name(given, family),
            "registered_by_team_id": ref.team_ids[gp_team],
            "registered_by_id": r.choice(staff.by_team[gp_team]),
            "status": RecordStatus.LIVE,
            "merged_into_id": None,
            "merged_at": None,
            "updated_at": created,
            "version": 1,
            "created_at": created,
        }
        people.given.append(given)
        people.family.append(family)
        people.postcode.append(code)
        people.district.append(district)
        ctx.writer.add_row("people", row)
        if (i + 1) % 20000 == 0:
            ctx.progress("people", i + 1, ctx.people)
    ctx.progress("people", ctx.people, ctx.people)
    return people


def plant_duplicates(
    ctx: CityContext,
    names: Names,
    population: Population,
    staff: Staff,
    people: People,
    duplicate_rate: float,
) -> list[PlantedDuplicate]:
    """A second record for some people, differing in one detail the way real duplicates
    do (a typo, a transposed date, a new postcode); the pairs are the matcher's truth."""
    r = ctx.rng
    k = round(ctx.people * duplicate_rate)
    if not k:
        return []
    dob = population.dob
    kinds = sorted(choice_weighted(r, ctx.calibration["duplicates"]["kinds"]) for _ in range(k))
    # a transposed day and month needs a day that can be a month (and differs from it)
    can_swap = [i for i in range(ctx.people) if dob[i].day <= 12 and dob[i].day != dob[i].month]
    swapped = r.sample(can_swap, min(kinds.count("transposed_date"), len(can_swap)))
    chosen = set(swapped)
    rest = r.sample(range(ctx.people), k + len(swapped))
    others = [i for i in rest if i not in chosen][: k - len(swapped)]
    other_kinds = [x for x in kinds if x != "transposed_date"]
    other_kinds += ["family_typo"] * (k - len(swapped) - len(other_kinds))
    pairs = [(i, "transposed_date") for i in swapped] + list(zip(others, other_kinds, strict=True))
    pairs.sort()
    first = ctx.writer.allocate("people", k)
    planted = []
    for n, (i, kind) in enumerate(pairs):
        born = dob[i]
        given, family, code = people.given[i], people.family[i], people.postcode[i]
        if kind == "transposed_date" and (born.day > 12 or born.day == born.month):
            kind = "family_typo"
        if kind == "family_typo":
            family = typo(family, r)
        elif kind == "given_typo":
            given = typo(given, r)
        elif kind == "transposed_date":
            born = dt.date(born.year, born.day, born.month)
        else:
            code = postcode(r, people.district[i])
        created = utc(ctx.rand_day(ctx.start, ctx.end), r.randrange(86400))
        did = first + n
        row: dict[str, Any] = {
            "id": did,
            "local_ref": f"SC{did:08d}",
            "nhs_number": None,
            "given_name": given,
            "family_name": family,
            "preferred_name": None,
            "date_of_birth": born,
            "date_of_death": None,
            "sex": population.sex[i],
            "address_line_1": f"{r.randint(1, 180)} {r.choice(names.streets)}",
            "address_line_2": None,
            "town": names.towns[ctx.areas[population.area[i]]["code"]][0],
            "postcode": code,
            "no_fixed_abode": False,
            "phone": None,
            "email": None,
            "gp_practice_code": None,
            "gp_practice_name": None,
            "language": None,
            "interpreter_needed": False,
            "communication_needs": None,
            "search_name": _search_name(given, family),
            "registered_by_team_id": ctx.reference.team_ids[DUPLICATES_TEAM],
            "registered_by_id": r.choice(staff.by_team[DUPLICATES_TEAM]),
            "status": RecordStatus.LIVE,
            "merged_into_id": None,
            "merged_at": None,
            "updated_at": created,
            "version": 1,
            "created_at": created,
        }
        ctx.writer.add_row("people", row)
        planted.append(PlantedDuplicate(people.ids[i], did, kind))
    return planted
