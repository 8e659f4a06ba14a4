"""Pages: an episode of care, ending it and recording its day-91 outcome.

The forms also appear on the referral the episode came from; a refused one comes back
here, on the episode's own page, with the error beside the field.
"""

from __future__ import annotations

import flask
from flask_login import login_required
from flask_wtf import FlaskForm

from caremap.auth.current import actor as _me
from caremap.episodes.access import acts_for_service, episode_for_action, load_episode
from caremap.episodes.changes import EPISODE_CHANGES
from caremap.episodes.forms import Day91Form, EndEpisodeForm
from caremap.episodes.models import Episode
from caremap.people.loader import LoadedPerson
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("episodes", __name__, template_folder="templates")


def _after(episode: Episode) -> str:
    if episode.referral_id is not None:
        return flask.url_for("referrals.view", referral_id=episode.referral_id)
    return flask.url_for("people.view", person_id=episode.person_id)


def _episode_page(episode: Episode, loaded: LoadedPerson, status: int = 200, **forms: FlaskForm):
    return flask.render_template(
        "episodes/episode.html",
        episode=episode,
        person=loaded.person,
        can_act=acts_for_service(_me(), episode.service_id),
        end_form=forms.get("end_form") or EndEpisodeForm(formdata=None, version=episode.version),
        day91_form=forms.get("day91_form") or Day91Form(formdata=None, version=episode.version),
        form=next((f for f in forms.values() if f.errors), None),
    ), status


def _episode_action(episode_id: int, kind: str, form: FlaskForm, *, done: str):
    """The episode's service changes it on the page, with the API's change (EPISODE_CHANGES),
    then back to where the episode is shown, or this page again with the error."""
    change = EPISODE_CHANGES[kind]
    episode, loaded = episode_for_action(episode_id, user=_me(), action=change.action)
    return handle_form_post(
        form,
        change.args(),
        lambda args: change.operate(_me(), episode, args),
        done=done,
        redirect_to=lambda _: _after(episode),
        page=lambda status: _episode_page(episode, loaded, status, **{f"{kind}_form": form}),
    )


@bp.get("/episodes/<int:episode_id>")
@login_required
def view(episode_id: int):
    """Anyone with full access to the person may read the episode; changing it is the
    service's (the POST actions check that)."""
    episode, loaded = load_episode(episode_id, user=_me(), action="episodes.view")
    return _episode_page(episode, loaded)


@bp.post("/episodes/<int:episode_id>/end")
@login_required
def end_episode(episode_id: int):
    return _episode_action(
        episode_id,
        "end",
        EndEpisodeForm(),
        done="The episode has ended and the referral is closed.",
    )


@bp.post("/episodes/<int:episode_id>/day-91")
@login_required
def day91(episode_id: int):
    return _episode_action(episode_id, "day91", Day91Form(), done="The day-91 outcome is recorded.")
