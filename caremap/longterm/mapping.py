"""Which episodes of care ARE CLD Service events, and as what (docs/long-term-support.md).

A care home admission is the residential or nursing placement, reablement is the ST-Max
service, self-directed support is long-term community support delivered as the person
chose. The package is made from the episode when it starts and ends with it, so nothing
is entered twice. Values are CLD Release 2 text from seed/cld.
"""

from __future__ import annotations

from caremap.episodes.enums import CareHomeType, EpisodeKind, SupportType
from caremap.episodes.models import Episode

DELIVERY_OF_SUPPORT = {
    SupportType.DIRECT_PAYMENT: "Direct payment",
    SupportType.PERSONAL_BUDGET: "CASSR managed personal budget",
    SupportType.COUNCIL_MANAGED: "CASSR commissioned support",
}


def service_of_episode(episode: Episode) -> dict[str, str | None] | None:
    """The CLD service type, component and delivery mechanism an episode stands for, or
    None for an episode that is not a CLD service (a hospital stay, general support)."""
    if episode.kind == EpisodeKind.CARE_HOME_ADMISSION:
        nursing = episode.care_home_type == CareHomeType.NURSING
        if episode.is_permanent:
            return {
                "service_type": "Long term support: Nursing care"
                if nursing
                else "Long term support: Residential care",
                "service_component": "Long term nursing care"
                if nursing
                else "Long term residential care",
                "delivery_mechanism": None,
            }
        return {
            "service_type": "Short term support: Other short term",
            "service_component": "Short term nursing care"
            if nursing
            else "Short term residential care",
            "delivery_mechanism": None,
        }
    if episode.kind == EpisodeKind.REABLEMENT:
        return {
            "service_type": "Short term support: ST-Max",
            "service_component": "Reablement",
            "delivery_mechanism": None,
        }
    if episode.kind == EpisodeKind.SELF_DIRECTED_SUPPORT and episode.support_type:
        delivery = DELIVERY_OF_SUPPORT[episode.support_type]
        return {
            "service_type": "Long term support: Community",
            "service_component": "Direct payment"
            if episode.support_type == SupportType.DIRECT_PAYMENT
            else "Other long term support",
            "delivery_mechanism": delivery,
        }
    return None


ENDED_AS_PLANNED = "NFA: Support ended as planned"
DIED = "NFA: Deceased"
