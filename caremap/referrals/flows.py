"""The referral status flow: every allowed (from, to) step, in one table.

received → routed → accepted | declined | redirected; accepted → active (an
episode starts) → closed; accepted → closed (seen, no episode needed).
"""

from __future__ import annotations

from caremap.core.errors import IllegalTransitionError
from caremap.referrals.enums import ReferralStatus as S

TRANSITIONS: dict[tuple[S, S], str] = {
    (S.RECEIVED, S.ROUTED): "routed by the rules",
    (S.ROUTED, S.ACCEPTED): "accepted by the service",
    (S.ROUTED, S.DECLINED): "declined by the service (reason required)",
    (S.ROUTED, S.REDIRECTED): "redirected to another service (re-routed, history kept)",
    (S.ACCEPTED, S.ACTIVE): "an episode of care started",
    (S.ACCEPTED, S.CLOSED): "closed after acceptance without an episode (outcome required)",
    (S.ACTIVE, S.CLOSED): "the episode ended (outcome required)",
}

NEEDS_REASON = {(S.ROUTED, S.DECLINED), (S.ROUTED, S.REDIRECTED)}
NEEDS_OUTCOME = {(S.ACCEPTED, S.CLOSED), (S.ACTIVE, S.CLOSED)}


def check_transition(current: S, target: S) -> None:
    if (current, target) not in TRANSITIONS:
        allowed = sorted(to.value for (frm, to) in TRANSITIONS if frm == current)
        raise IllegalTransitionError(
            f"A referral that is {current.value} cannot become {target.value}"
            + (f"; it can become {', '.join(allowed)}" if allowed else "; it is finished"),
            field="status",
        )


def allowed_next(current: S) -> list[S]:
    return [to for (frm, to) in TRANSITIONS if frm == current]
