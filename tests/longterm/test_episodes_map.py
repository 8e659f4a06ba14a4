"""An episode that IS a CLD service makes its care package when it starts and ends it
with the episode: one entry, two views, in the same transaction."""

from __future__ import annotations

import datetime as dt

from caremap.core.extensions import db
from caremap.episodes.enums import CareHomeType, EpisodeKind
from caremap.episodes.models import Episode
from caremap.episodes.operations import end_episode
from caremap.longterm import queries
from caremap.longterm.mapping import service_of_episode
from tests import factories


def test_reablement_is_the_st_max_service_and_ends_with_the_episode(ctx):
    episode = factories.make_episode()  # reablement after a discharge
    package = queries.package_of_episode(episode.id)
    assert package.service_type == "Short term support: ST-Max"
    assert package.service_component == "Reablement"
    assert package.started_on == episode.started_on and package.person_id == episode.person_id
    end_episode(
        actor=factories.worker_for(episode.service),
        episode=episode,
        ended_on=dt.date.today(),
        end_reason="Independent again",
        version=episode.version,
    )
    db.session.refresh(package)
    assert package.ended_on == dt.date.today()
    assert package.outcome == "NFA: Support ended as planned"


def test_a_general_episode_is_not_a_cld_service(ctx):
    referral = factories.make_referral(needs=["carer_strain"])
    episode = factories.make_episode(referral)
    assert queries.package_of_episode(episode.id) is None


def test_a_permanent_nursing_home_admission_is_long_term_nursing_care(ctx):

    episode = Episode(
        kind=EpisodeKind.CARE_HOME_ADMISSION, care_home_type=CareHomeType.NURSING, is_permanent=True
    )
    assert service_of_episode(episode)["service_type"] == "Long term support: Nursing care"
    episode.is_permanent = False
    assert service_of_episode(episode)["service_component"] == "Short term nursing care"
