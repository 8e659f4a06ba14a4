"""The Safeguarding Adults Collection's value lists are data (seed/sac/value_lists.json,
with their sources) and code (caremap/safeguarding/enums.py): the two say the same."""

import importlib
import json
from pathlib import Path

import pytest

SEED = json.loads((Path(__file__).parents[2] / "seed/sac/value_lists.json").read_text())


def _enum(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("name", sorted(SEED["lists"]))
def test_each_list_in_seed_is_the_code_list_with_its_source(name):
    listed = SEED["lists"][name]
    enum = _enum(listed["enum"])
    assert [(v["code"], v["label"]) for v in listed["values"]] == [(m.value, m.label) for m in enum]
    assert listed["sources"] and listed["sac_table"].startswith("SG")


def test_the_collections_lists_have_their_published_lengths():
    """SAC: 11 types of risk, 9 locations, 3 sources (and caremap's 'not known yet' for a
    concern), 7 actions and results, 3 risk outcomes, 4 capacity answers, 5 MSP answers,
    3 outcomes achieved."""
    counted = {
        name: sum(1 for v in listed["values"] if v["sac"]) for name, listed in SEED["lists"].items()
    }
    assert counted == {
        "type_of_risk": 11,
        "location_of_risk": 9,
        "source_of_risk": 3,
        "action_and_result": 7,
        "risk_outcome": 3,
        "lacked_capacity": 4,
        "msp_asked": 5,
        "outcomes_achieved": 3,
    }
