"""The receiving service's answers to a referral, named once for the page and the API.

Each answer is read (and audited) as its action, takes its Args (a form post and a JSON
body load the same schema) and calls its operation; the page and the API differ only in
how they reply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caremap.auth.models import User
from caremap.core.schemas import ArgsSchema
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.referrals import operations
from caremap.referrals.models import Referral
from caremap.referrals.schemas import AcceptArgs, CloseArgs, DeclineArgs, RedirectArgs

Operate = Callable[[User, Referral, dict[str, Any]], Any]


@dataclass(frozen=True)
class Answer:
    action: str  # the read is audited as this
    args: type[ArgsSchema]
    operate: Operate


def _as_given(operation: Callable[..., Any], **renamed: str) -> Operate:
    """An operation whose keywords are its Args' fields (those in `renamed` under the
    operation's own name for them)."""
    return lambda actor, referral, args: operation(
        actor=actor, referral=referral, **{renamed.get(k, k): v for k, v in args.items()}
    )


ANSWERS: dict[str, Answer] = {
    "accept": Answer(
        "referrals.accept",
        AcceptArgs,
        _as_given(operations.accept_referral, start_episode="start_episode_details"),
    ),
    "decline": Answer("referrals.decline", DeclineArgs, _as_given(operations.decline_referral)),
    "redirect": Answer(
        "referrals.redirect",
        RedirectArgs,
        _as_given(operations.redirect_referral, service="service_code"),
    ),
    "close": Answer("referrals.close", CloseArgs, _as_given(operations.close_referral)),
    "episode": Answer(
        "referrals.start_episode",
        StartEpisodeArgs,
        lambda actor, referral, args: operations.begin_episode(
            actor=actor, referral=referral, details=args
        ),
    ),
}
