"""One record per indicator and per measurement: the single source for every open-data format."""

from collections import defaultdict

from django.utils import timezone

from portal.core.links import page_url
from portal.core.numbers import format_number
from portal.plan import status as rules
from portal.plan.models import DomainPage, IndicatorPage, Measurement, MechanismPage, Responsibility, Role, TaskPage

INDICATOR_FIELDS = [
    "code",
    "domain",
    "mechanism",
    "task_number",
    "task",
    "name",
    "unit",
    "comparator",
    "target",
    "target_max",
    "target_year",
    "baseline",
    "baseline_year",
    "reference",
    "latest_value",
    "latest_date",
    "latest_is_sample",
    "status",
    "status_label",
    "lead_department",
    "url",
    "source_quote",
]

MEASUREMENT_FIELDS = ["indicator_code", "indicator", "unit", "date", "value", "source", "note", "is_sample"]


def _number(value):
    return None if value is None else float(format_number(value))


def indicator_records(request=None) -> list[dict]:
    """Every published indicator with its context, latest value and status, in plan order."""
    # Latest values and statuses from the stored readings: no measurement is read.
    indicators = list(IndicatorPage.objects.live().order_by("path").with_readings())
    sections = {p.path: p for p in DomainPage.objects.live()}
    sections.update({p.path: p for p in MechanismPage.objects.live()})
    tasks = {p.path: p for p in TaskPage.objects.live()}
    leads = defaultdict(list)
    for row in Responsibility.objects.filter(role=Role.LEAD).select_related("department", "page"):
        leads[row.page.path].append(row.department.name)
    today = timezone.localdate()
    records = []
    for indicator in indicators:
        ancestors = [indicator.path[:n] for n in range(len(indicator.path) - 4, 0, -4)]
        task = next((tasks[p] for p in ancestors if p in tasks), None)
        section = next((sections[p] for p in ancestors if p in sections), None)
        lead = next((leads[p] for p in ancestors if p in leads), [])
        latest = indicator.latest
        state = indicator.status(today)
        records.append(
            {
                "code": indicator.code,
                "domain": section.title if isinstance(section, DomainPage) else None,
                "mechanism": section.title if isinstance(section, MechanismPage) else None,
                "task_number": task.number if task else None,
                "task": task.title if task else None,
                "name": indicator.title,
                "unit": indicator.unit,
                "comparator": indicator.comparator,
                "target": _number(indicator.target),
                "target_max": _number(indicator.target_max),
                "target_year": indicator.target_year,
                "baseline": _number(indicator.baseline),
                "baseline_year": indicator.baseline_year,
                "reference": indicator.reference or None,
                "latest_value": _number(latest.value) if latest else None,
                "latest_date": latest.date.isoformat() if latest else None,
                "latest_is_sample": latest.is_sample if latest else None,
                "status": state,
                "status_label": str(rules.Status(state).label),
                "lead_department": "、".join(lead) or None,
                "url": page_url(indicator, request),
                "source_quote": indicator.quote,
            }
        )
    return records


def measurement_records(indicator_code: str | None = None):
    """Published measurements, by indicator then date; one indicator's when a code is given."""
    rows = Measurement.objects.filter(live=True, indicator__live=True).select_related("indicator")
    if indicator_code:
        rows = rows.filter(indicator__code=indicator_code)
    for m in rows.order_by("indicator__path", "date", "pk").iterator(chunk_size=2000):
        yield {
            "indicator_code": m.indicator.code,
            "indicator": m.indicator.title,
            "unit": m.indicator.unit,
            "date": m.date.isoformat(),
            "value": format_number(m.value),
            "source": m.source,
            "note": m.note,
            "is_sample": m.is_sample,
        }
