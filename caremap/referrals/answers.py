"""The receiving service's answers to a referral, declared once for the page and the API."""

from __future__ import annotations

from caremap.core.changes import Change, as_given
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.referrals import contact, operations
from caremap.referrals.schemas import (
    AcceptArgs,
    CloseArgs,
    DeclineArgs,
    FirstContactArgs,
    RedirectArgs,
)

ANSWERS: dict[str, Change] = {
    "accept": Change(
        "referrals.accept",
        AcceptArgs,
        as_given(operations.accept_referral, row="referral", start_episode="start_episode_details"),
    ),
    "decline": Change(
        "referrals.decline", DeclineArgs, as_given(operations.decline_referral, row="referral")
    ),
    "redirect": Change(
        "referrals.redirect",
        RedirectArgs,
        as_given(operations.redirect_referral, row="referral", service="service_code"),
    ),
    "contact": Change(
        "referrals.first_contact",
        FirstContactArgs,
        as_given(contact.record_first_contact, row="referral"),
    ),
    "close": Change(
        "referrals.close", CloseArgs, as_given(operations.close_referral, row="referral")
    ),
    "episode": Change(
        "referrals.start_episode",
        StartEpisodeArgs,
        lambda actor, referral, args: operations.begin_episode(
            actor=actor, referral=referral, details=args
        ),
    ),
}
