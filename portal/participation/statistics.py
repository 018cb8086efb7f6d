"""Public statistics on submissions: received, answered, overdue and median days to answer."""

from dataclasses import dataclass, field
from statistics import median

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Submission

GROUPS = {"domain": "domain__title", "department": "department__name"}


@dataclass
class Row:
    label: str
    received: int = 0
    answered: int = 0
    overdue: int = 0
    days: list[float] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return round(median(self.days), 1) if self.days else None


def table(group_by: str) -> list[Row]:
    """One row per domain or department, from one query; unverified (quarantined) items are left out."""
    today = timezone.localdate()
    rows: dict[str, Row] = {}
    # 找错 reports are about the website, not about a public service: they stay out of these figures.
    letters = Submission.objects.filter(quarantined=False).exclude(kind=Submission.Kind.SITE_ERROR)
    values = letters.values_list(GROUPS[group_by], "status", "created_at", "answered_at", "due_date")
    for label, status, created_at, answered_at, due_date in values:
        label = label or _("未指定")
        row = rows.setdefault(label, Row(label=label))
        row.received += 1
        if answered_at:
            row.answered += 1
            row.days.append((answered_at - created_at).total_seconds() / 86400)
        elif status in Submission.OPEN_STATUSES and due_date < today:
            row.overdue += 1
    return sorted(rows.values(), key=lambda r: (-r.received, r.label))


def totals(rows: list[Row]) -> Row:
    total = Row(label=_("合计"))
    for row in rows:
        total.received += row.received
        total.answered += row.answered
        total.overdue += row.overdue
        total.days.extend(row.days)
    return total
