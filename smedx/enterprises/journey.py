"""The 8-stage journey shown on the case file.

The stage reached is stored on the enterprise (so lists filter by it); each later app declares, in its
hooks' `journey`, a function that adds the dates, items and links of its stage for one enterprise.
"""

from dataclasses import dataclass, field

from smedx.core import frame
from smedx.enterprises.models import Stage


@dataclass
class StageView:
    number: int
    label: str
    status: str  # not_started, in_progress, done
    started_at: object = None
    items: list = field(default_factory=list)  # (text, url) pairs from the app that owns the stage

    @property
    def is_done(self) -> bool:
        return self.status == "done"

    @property
    def is_in_progress(self) -> bool:
        return self.status == "in_progress"


def journey(enterprise, details=True) -> list[StageView]:
    """The 8 stages with their state; `details=False` leaves out the apps' dates, items and links."""
    details = frame.journey_stages() if details else {}
    out = []
    for stage in Stage:
        if stage == Stage.NOT_STARTED:
            continue
        if stage < enterprise.stage:
            status = "done"
        elif stage == enterprise.stage:
            status = "in_progress"
        else:
            status = "not_started"
        view = StageView(stage.value, stage.label, status)
        if stage in details:
            details[stage](enterprise, view)
        out.append(view)
    return out
