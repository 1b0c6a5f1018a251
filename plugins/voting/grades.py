"""The words of each scale, best first (index 0 = the best grade, as in ballots and the API)."""
from __future__ import annotations

import placette

_l = placette.lazy_gettext

MAJORITY_JUDGMENT = (_l("Excellent"), _l("Very good"), _l("Good"), _l("Fair"), _l("Passable"),
                     _l("Poor"), _l("Reject"))
AGREEMENT = (_l("Strongly agree"), _l("Agree"), _l("Neither agree nor disagree"),
             _l("Disagree"), _l("Strongly disagree"))
IMPORTANCE = (_l("Essential"), _l("Important"), _l("Slightly important"), _l("Not important"))
YES_NO = {"yes": _l("Yes"), "no": _l("No"), "abstain": _l("Abstain")}
KIND_LABELS = {"single": _l("Single choice"), "multiple": _l("Multiple choice"),
               "yes_no": _l("Yes / no"), "approval": _l("Approval"),
               "ranking": _l("Ranking"), "rating": _l("Rating scale"),
               "majority_judgment": _l("Majority judgment")}
STATUS_LABELS = {"open": _l("Open"), "accepted": _l("Accepted"), "studied": _l("Under study"),
                 "rejected": _l("Rejected")}
STATE_LABELS = {"scheduled": _l("Not open yet"), "open": _l("Open"), "closed": _l("Closed")}


def scale_of(poll) -> tuple:
    """The grade words of a poll (empty for kinds without grades)."""
    if poll.kind == "majority_judgment":
        return MAJORITY_JUDGMENT
    if poll.kind == "rating":
        return IMPORTANCE if poll.scale == "importance" else AGREEMENT
    return ()


def option_label(option) -> str:
    """yes/no/abstain options show in the reader's language; others as written."""
    return str(YES_NO[option.code]) if option.code in YES_NO else option.label
