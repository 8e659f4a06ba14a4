"""Every seed routing rule, and the fall-through, as a table: facts in, services and rules out."""

import json

import pytest

from caremap.core.seeds import read_seed
from caremap.routing.engine import FALL_THROUGH_SERVICE, Facts, route
from caremap.routing.operations import rules_in_force


def facts(*needs, age=40, urgency="routine", source="gp", area="PL4", open_services=()):
    return Facts(frozenset(needs), urgency, source, age, area, frozenset(open_services))


# (case, facts, {service: [rule codes that sent it there]})
CASES = [
    (
        "two multiple-needs domains go to the hub",
        facts("homelessness", "substance_misuse"),
        {"complex_needs_hub": ["multiple_needs_hub"]},
    ),
    (
        "four domains go to the hub only",
        facts("homelessness", "substance_misuse", "offending", "mental_health"),
        {"complex_needs_hub": ["multiple_needs_hub"]},
    ),
    (
        "a child with two domains is not sent to the adult hub",
        facts("homelessness", "offending", age=16),
        {FALL_THROUGH_SERVICE: []},
    ),
    (
        "mental health crisis goes to the crisis service",
        facts("mental_health_crisis", urgency="emergency"),
        {"mental_health_crisis": ["mental_health_crisis"]},
    ),
    (
        "crisis and two domains: crisis first, then the hub",
        facts("mental_health_crisis", "homelessness", "mental_health", urgency="emergency"),
        {
            "mental_health_crisis": ["mental_health_crisis"],
            "complex_needs_hub": ["multiple_needs_hub"],
        },
    ),
    (
        "discharge at 65 goes to reablement",
        facts("hospital_discharge", age=65, source="hospital"),
        {"reablement": ["discharge_65_reablement"]},
    ),
    (
        "discharge at 85 with open long-term home care restarts the home care",
        facts("hospital_discharge", age=85, open_services={"home_care_long_term"}),
        {"home_care_long_term": ["discharge_restart_home_care"]},
    ),
    (
        "discharge at 64 goes to the hospital discharge team",
        facts("hospital_discharge", age=64),
        {"hospital_discharge": ["discharge_under_65"]},
    ),
    (
        "a child with a Big 6 condition goes to the paediatric pathway",
        facts("big6_fever", age=3, urgency="urgent"),
        {"paediatric_big_6": ["big6_child"]},
    ),
    (
        "an adult with wheeze is not on the paediatric pathway",
        facts("big6_asthma", age=30),
        {FALL_THROUGH_SERVICE: []},
    ),
    (
        "an urgent fall at home goes to urgent community response",
        facts("fall", age=80, urgency="urgent"),
        {"urgent_community_response": ["urgent_community_response"]},
    ),
    (
        "a routine fall at 65 or over goes to step-up reablement",
        facts("fall", age=80, urgency="routine"),
        {"reablement": ["fall_step_up_reablement"]},
    ),
    (
        "a routine fall at 40 falls through to triage",
        facts("fall", age=40, urgency="routine"),
        {FALL_THROUGH_SERVICE: []},
    ),
    (
        "a routine fall already in reablement is not sent there again",
        facts("fall", age=80, urgency="routine", open_services=("reablement",)),
        {FALL_THROUGH_SERVICE: []},
    ),
    (
        "the community strategy's own example: 85, living alone, fallen at home, GP referral",
        facts("fall", "social_isolation", age=85, urgency="routine", source="gp"),
        {
            "reablement": ["fall_step_up_reablement"],
            "social_prescribing": ["social_prescribing"],
        },
    ),
    (
        "homelessness alone goes to prevention",
        facts("homelessness"),
        {"homelessness_prevention": ["single_domain_homelessness"]},
    ),
    (
        "substance misuse alone goes to treatment",
        facts("substance_misuse"),
        {"substance_misuse_treatment": ["single_domain_substance_misuse"]},
    ),
    (
        "offending alone goes to offender support",
        facts("offending"),
        {"offender_support": ["single_domain_offending"]},
    ),
    (
        "mental ill health alone goes to community mental health",
        facts("mental_health"),
        {"community_mental_health": ["single_domain_mental_health"]},
    ),
    (
        "personal care goes to long-term home care",
        facts("personal_care", age=70),
        {"home_care_long_term": ["long_term_personal_care"]},
    ),
    (
        "personal care already open at home care falls through",
        facts("personal_care", age=70, open_services={"home_care_long_term"}),
        {FALL_THROUGH_SERVICE: []},
    ),
    (
        "supported living",
        facts("supported_living"),
        {"supported_living": ["long_term_supported_living"]},
    ),
    ("telecare", facts("telecare", age=90), {"telecare": ["long_term_telecare"]}),
    (
        "day opportunities",
        facts("day_activities"),
        {"day_opportunities": ["long_term_day_opportunities"]},
    ),
    (
        "supported employment",
        facts("employment_support", age=19),
        {"supported_employment": ["long_term_employment"]},
    ),
    (
        "housing adaptations",
        facts("housing_adaptation", age=75),
        {"housing_adaptations": ["long_term_adaptations"]},
    ),
    (
        "extra care housing from 55",
        facts("extra_care_housing", age=55),
        {"extra_care_housing": ["long_term_extra_care"]},
    ),
    (
        "appointee and deputyship",
        facts("money_management"),
        {"appointee_deputyship": ["long_term_money"]},
    ),
    (
        "personal budget",
        facts("personal_budget"),
        {"personal_budgets": ["long_term_personal_budget"]},
    ),
    ("community equipment", facts("equipment", age=77), {"community_equipment": ["equipment"]}),
    (
        "medication concern goes to the pharmacist",
        facts("medication_concern", age=85),
        {"pharmacist_medication_review": ["medication_review"]},
    ),
    (
        "carer strain goes to carer support",
        facts("carer_strain"),
        {"carer_support": ["carer_support"]},
    ),
    (
        "isolation goes to social prescribing",
        facts("social_isolation"),
        {"social_prescribing": ["social_prescribing"]},
    ),
    ("weight management", facts("weight"), {"weight_management": ["weight_management"]}),
    ("stop smoking", facts("smoking"), {"stop_smoking": ["stop_smoking"]}),
    (
        "the strategy's example: 85, breathing problems, a fall, five medicines, urgent",
        facts(
            "breathing_problems",
            "fall",
            "long_term_condition",
            "medication_concern",
            age=85,
            urgency="urgent",
        ),
        {
            "urgent_community_response": ["urgent_community_response"],
            "pharmacist_medication_review": ["medication_review"],
        },
    ),
    (
        "no rule matches domestic abuse alone: single point of access triage",
        facts("domestic_abuse"),
        {FALL_THROUGH_SERVICE: []},
    ),
]


@pytest.mark.parametrize(("case", "given", "expected"), CASES, ids=[c[0] for c in CASES])
def test_routing(ctx, case, given, expected):
    routes = route(given, rules_in_force())
    assert {r.service: [f.rule.code for f in r.firings] for r in routes} == expected
    for r in routes:
        explanation = r.explanation()
        assert explanation and all(entry["matched"] for entry in explanation)


def test_every_seed_rule_is_covered_by_the_table():
    covered = {code for *_, expected in CASES for codes in expected.values() for code in codes}
    seeded = {rule["code"] for rule in read_seed("routing_rules.json")["rules"]}
    assert seeded - covered == set()


def test_explanations_cite_the_rule_version_and_the_facts(ctx):
    (reablement,) = route(facts("hospital_discharge", age=85), rules_in_force())
    (entry,) = reablement.explanation()
    assert entry["rule"] == "discharge_65_reablement" and entry["version"] == 1
    assert "age 85 is 65 or over" in entry["matched"]
    assert entry["actions"]["follow_up_days"] == 91
    json.dumps(entry)  # stored as JSON with the decision
