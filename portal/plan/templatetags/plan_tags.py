"""Template helpers for the plan's pages: statuses and indicator cards."""

from django import template

from portal.core import charts
from portal.plan.status import Status

register = template.Library()


@register.filter
def status_label(value):
    return Status(value).label if value in Status.values else ""


@register.inclusion_tag("includes/status_counts.html")
def status_counts(counts):
    return {"items": [(status, status.label, counts.get(status.value, 0)) for status in Status]}


@register.inclusion_tag("includes/indicator_card.html", takes_context=True)
def indicator_card(context, indicator):
    """Target against the latest value, with a progress bar and a sparkline."""
    return {"indicator": indicator, "chart": charts.sparkline(indicator), "request": context.get("request")}
