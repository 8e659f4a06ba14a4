"""Each indicator's cohort: the SELECT of the rows it counts, one module per strand.

To find where an indicator is computed, take its `strand` in seed/indicators.json:
ASCOF-2B is an urgent_care indicator, so its function, marked `@cohort("ASCOF-2B")`,
is in cohorts/urgent_care.py. registry.py pairs codes with functions; rows.py holds
the shape every cohort selects and the pieces they share; caremap/indicators/compute.py
turns a cohort into figures.
"""

# each theme module registers its cohorts as it is imported
from caremap.indicators.cohorts import (  # noqa: F401
    access,
    long_term_support,
    multiple_needs,
    safeguarding,
    urgent_care,
    wellbeing,
)
from caremap.indicators.cohorts.registry import cohort, cohort_select, registered
from caremap.indicators.cohorts.rows import Context, filters_of

__all__ = ["Context", "cohort", "cohort_select", "filters_of", "registered"]
