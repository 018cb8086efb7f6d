"""Template helpers shared by every public page: numbers, statuses, charts, metadata."""

from django import template
from django.utils import timezone

from portal.core import charts
from portal.plan.models import format_number
from portal.plan.status import Status

register = template.Library()


@register.filter
def num(value):
    """96.0000 → 96; keeps meaningful decimals."""
    return format_number(value)


@register.filter
def status_label(value):
    return Status(value).label if value in Status.values else ""


@register.inclusion_tag("includes/indicator_card.html", takes_context=True)
def indicator_card(context, indicator):
    return {"indicator": indicator, "chart": charts.sparkline(indicator), "request": context.get("request")}


@register.inclusion_tag("includes/line_chart.html")
def line_chart(chart, indicator):
    return {"chart": chart, "indicator": indicator}


@register.inclusion_tag("includes/status_counts.html")
def status_counts(counts):
    return {"items": [(status, status.label, counts.get(status.value, 0)) for status in Status]}


@register.simple_tag
def pub_date(page):
    """PubDate for government-site metadata: the first publication, as YYYY-MM-DD HH:MM."""
    moment = getattr(page, "first_published_at", None) or getattr(page, "last_published_at", None)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
