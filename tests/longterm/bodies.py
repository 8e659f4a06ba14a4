"""Well-formed bodies for long-term support, in CLD Release 2 words (seed/cld)."""

from __future__ import annotations

import datetime as dt
from typing import Any

TODAY = dt.date.today()
LAST_YEAR = (TODAY - dt.timedelta(days=365)).isoformat()


def profile(**changes: Any) -> dict[str, Any]:
    return {
        "client_type": "Service user",
        "primary_support_reason": "Physical support: Personal care support",
        "accommodation_status": "Owner occupier or shared ownership scheme",
        "employment_status": "Not in paid employment: Not actively seeking work or retired",
        "ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
        "visual_impairment": "No",
        "hearing_impairment": "Yes",
        "dementia": False,
        "autism": None,
        "has_unpaid_carer": True,
        "client_funding_status": "Fully social care funded",
        **changes,
    }


def assessment(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "needs_assessment",
        "assessment_type": "Long term assessment",
        "method": "Face to face",
        "eligible_needs_identified": True,
        "started_on": LAST_YEAR,
        **changes,
    }


def package(**changes: Any) -> dict[str, Any]:
    return {
        "service_type": "Long term support: Community",
        "service_component": "Home support or domiciliary care",
        "delivery_mechanism": "Direct payment",
        "provider_name": "Tamar Homecare",
        "provider_cqc_location_id": "1-101669457",
        "started_on": LAST_YEAR,
        "planned_units_per_week": "14",
        "unit_cost": "24.50",
        "cost_frequency": "Hourly",
        "funded_by": "Joint client and social care funded",
        **changes,
    }


def review(**changes: Any) -> dict[str, Any]:
    return {
        "review_reason": "Planned: Cyclical or scheduled",
        "method": "Service user only",
        "started_on": TODAY.isoformat(),
        **changes,
    }
