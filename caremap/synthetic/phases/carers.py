"""Carers: a related person who cares, for a calibrated share of adults (more of the
oldest and of those in long-term support), some of them with a record of their own."""

from __future__ import annotations

from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import utc
from caremap.synthetic.records import Cast

GP_SERVICE = "gp_practices"


def record_carers(ctx: CityContext, cast: Cast, home_care: set[int]) -> None:
    """A carer with a record of their own is linked to it (someone of working age in the
    same area), so carers' own needs can be found from the person they care for."""
    r, c = ctx.rng, ctx.calibration["carers"]
    relationships = ctx.lookups["carer_relationships"]
    population, people = cast.population, cast.people
    adults_by_area = [
        [i for i in members if 18 <= population.age(i, ctx.end) <= 85]
        for members in population.by_area
    ]
    for i in range(ctx.people):
        age = population.age(i, ctx.end)
        if i in home_care:
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
        # not asked (None) for a few: the column keeps "unknown" apart from "no"
        involved = True if u < c["involved_in_care_share"] else (None if u > 0.96 else False)
        linked = None
        if r.random() < c["carer_has_record_share"]:
            pool = adults_by_area[population.area[i]]
            k = pool[r.randrange(len(pool))]
            if k != i:
                linked = k
        if linked is not None:
            name = people.full_name(linked)
        else:
            name = f"{r.choice(cast.names.anyone)} {people.family[i]}"
        relation = (
            r.choice(relationships["partner"])
            if age >= 65 and r.random() < 0.4
            else r.choice(relationships["other"])
        )
        created = utc(ctx.rand_day(ctx.start, ctx.end), 12 * 3600)
        ctx.writer.row(
            "related_people",
            id=ctx.writer.allocate("related_people"),
            person_id=people.ids[i],
            name=name,
            relationship_to_person=relation,
            phone=f"01632 960{r.randrange(1000):03d}",
            email=None,
            address=None,
            is_carer=True,
            is_next_of_kin=r.random() < 0.7,
            involved_in_care=involved,
            carer_person_id=people.ids[linked] if linked is not None else None,
            notes=None,
            is_active=True,
            recorded_by_id=r.choice(cast.staff.by_team[cast.team_for(ctx, GP_SERVICE, i)]),
            version=1,
            created_at=created,
        )
    ctx.progress("carers", 1, 1)
