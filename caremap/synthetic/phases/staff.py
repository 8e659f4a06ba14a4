"""Staff: enough workers in every team for the caseloads the city will give them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from caremap.auth.enums import Role
from caremap.auth.passwords import hash_password
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import utc
from caremap.synthetic.phases.cohorts import Cohorts
from caremap.synthetic.phases.names import Names


@dataclass(frozen=True)
class Staff:
    by_team: dict[str, list[int]]  # team code -> user ids, the team lead first
    names: dict[int, str]  # user id -> full name (a referrer's name on a referral)

    def everyone(self) -> list[int]:
        """Every worker, team by team in code order (anyone may raise a concern)."""
        return [u for _code, ids in sorted(self.by_team.items()) for u in ids]


def hire_staff(ctx: CityContext, names: Names, cohorts: Cohorts, home_care: set[int]) -> Staff:
    """Every team gets workers in proportion to the people; the hub and long-term home
    care get enough key workers for the calibrated caseload of the people chosen for
    them. Everyone shares one password hash: argon2 is slow by design, and hashing it
    per user would be most of the time of a small city."""
    r, cal = ctx.rng, ctx.calibration["staff"]
    roles = ctx.lookups["staff_roles"]
    password_hash = hash_password(cal["password"])
    per_team = max(cal["min_per_team"], round(ctx.people / cal["people_per_worker_other_teams"]))
    hub_leads = sum(1 for c in cohorts.of.values() if c is not None)
    special = {
        "complex_needs_hub": math.ceil(hub_leads / cal["caseload_per_key_worker"]),
        # 70% of them get a lead key worker, with two teams to share them
        "home_care_long_term": math.ceil(len(home_care) * 0.7 / cal["caseload_per_key_worker"] / 2),
    }
    by_team: dict[str, list[int]] = {}
    full_names: dict[int, str] = {}
    created = utc(ctx.start - dt.timedelta(days=30))
    for service, codes in sorted(ctx.reference.service_teams.items()):
        role = Role(
            roles["by_service"].get(service)
            or (Role.KEY_WORKER if service in roles["key_working_services"] else roles["default"])
        )
        for code in codes:
            n = max(per_team, special.get(service, 0))
            first = ctx.writer.allocate("users", n)
            ids = []
            for k in range(n):
                uid = first + k
                given = r.choice(names.female if r.random() < 0.7 else names.male)
                family = r.choice(names.family)
                name = f"{given} {family}"
                slug = "".join(
                    ch for ch in f"{given}.{family}".lower() if ch.isalnum() or ch == "."
                )
                ctx.writer.row(
                    "users",
                    id=uid,
                    email=f"{slug}.{uid}@city.caremap.example",
                    full_name=name,
                    role=role,
                    team_id=ctx.reference.team_ids[code],
                    password_hash=password_hash,
                    is_active=True,
                    is_team_lead=k == 0,
                    session_version=1,
                    password_changed_at=None,
                    version=1,
                    created_at=created,
                )
                ids.append(uid)
                full_names[uid] = name
            by_team[code] = ids
    ctx.progress("staff", 1, 1)
    return Staff(by_team=by_team, names=full_names)
