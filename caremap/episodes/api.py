"""Episodes of care under /api/v1: ending one, its day-91 outcome, a person's episodes."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.core.api import ApiBlueprint
from caremap.episodes import queries
from caremap.episodes.access import episode_for_action
from caremap.episodes.changes import EPISODE_CHANGES
from caremap.episodes.schemas import Day91Args, EndEpisodeArgs, EpisodeSchema
from caremap.people.loader import load_person
from caremap.people.queries import record_ids

blp = ApiBlueprint("episodes-api", __name__, url_prefix="/api/v1", description="Episodes of care")


def _change(episode_id: int, kind: str, args: dict[str, Any]) -> Any:
    """Load the episode for its service (404, 403), then change it."""
    change = EPISODE_CHANGES[kind]
    episode, _ = episode_for_action(episode_id, user=_me(), action=change.action)
    return change.operate(_me(), episode, args)


@blp.route("/episodes/<int:episode_id>/end")
class EndEpisode(MethodView):
    decorators = [login_required]

    @blp.arguments(EndEpisodeArgs)
    @blp.response(200, EpisodeSchema)
    def post(self, args, episode_id):
        """End the episode; its referral closes with the same outcome."""
        return _change(episode_id, "end", args)


@blp.route("/episodes/<int:episode_id>/day-91")
class Day91(MethodView):
    decorators = [login_required]

    @blp.arguments(Day91Args)
    @blp.response(200, EpisodeSchema)
    def post(self, args, episode_id):
        """Where the person is 91 days after discharge into reablement (ASCOF 2B)."""
        return _change(episode_id, "day91", args)


@blp.route("/people/<int:person_id>/episodes")
class PersonEpisodes(MethodView):
    decorators = [login_required]

    @blp.response(200, EpisodeSchema(many=True))
    def get(self, person_id):
        """Every episode of care of the person (and records merged into it), newest first."""
        person = load_person(person_id, user=_me(), action="episodes.list").person
        return queries.person_episodes(record_ids(person))
