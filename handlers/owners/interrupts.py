"""What leaves an open question or confirmation: a pause, a correction, or another request.

"等一下，先别交" pauses (nothing is submitted); "算了我说错了 是2单元" is a correction the
draft's flow applies; a request for a person, a rating or a new question is handled as what
it is (dispatch's topic switch).
"""

from __future__ import annotations

import re

import handlers.texts.dialogue  # noqa: F401 - registers the texts used here
from handlers.messages import Outcome, Reply
from handlers.owners.corrections import is_correction
from handlers.texts import t
from nlu.normalize import canonical

# Flows whose drafts take corrections ("不对，是卫生间不是厨房").
CORRECTABLE_FLOWS = frozenset({"report_repair", "complaint"})
_HOLD = re.compile(
    r"^(?:那|哎|呃|嗯)?[，, ]*(?:等一下|等一等|等下|等等|等会儿?|稍等|先等等?|先别|先不|我再想想|再想想|"
    r"考虑一下|我考虑|回头|hold on|wait|not yet|one moment)",
    re.I,
)


def holds(text: str) -> bool:
    """"等一下，先别交" / "wait": the owner wants the open confirmation to stop, not go on."""
    return bool(_HOLD.search(canonical(text or "").strip()))


def corrects(flow: str, text: str) -> bool:
    """A correction inside a flow whose draft can be corrected."""
    return flow in CORRECTABLE_FLOWS and is_correction(text)


def paused(locale: str) -> Outcome:
    """Leave the flow; say that nothing was submitted."""
    return Outcome((Reply(t("paused", locale)),))
