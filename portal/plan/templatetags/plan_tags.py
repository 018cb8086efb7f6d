"""Template helpers for the plan's pages: statuses, their legend and indicator cards.

Pages put `plan_ended` in their context (portal.plan.models.pages.plan_context): once the plan's period is
over, statuses are shown as final verdicts.
"""

from django import template

from portal.core import charts
from portal.plan import status as rules

register = template.Library()


@register.filter
def status_label(value, ended=False):
    return rules.status_label(value, bool(ended)) if value in rules.Status.values else ""


@register.filter
def shown_status(value, ended=False):
    """The status as shown (its CSS class): "on track" is "behind" once the plan has ended."""
    return rules.shown_status(value, bool(ended))


@register.inclusion_tag("includes/status_counts.html")
def status_counts(counts, ended=False):
    labels = rules.LABELS[bool(ended)]
    return {"items": [(status, label, counts.get(status.value, 0)) for status, label in labels.items()]}


@register.inclusion_tag("includes/status_legend.html")
def status_legend(ended=False):
    """One sentence per status, in the words the page uses for them."""
    ended = bool(ended)
    return {
        "ended": ended,
        "items": [(status, rules.LABELS[ended][status], text) for status, text in rules.EXPLANATIONS[ended].items()],
    }


@register.inclusion_tag("includes/indicator_card.html", takes_context=True)
def indicator_card(context, indicator):
    """Target against the latest value, with a progress bar and a sparkline: a fragment kept between renders
    (portal/core/fragments.py), so the sparkline is drawn in the template, on a miss only."""
    return {
        "indicator": indicator,
        "request": context.get("request"),
        "plan_ended": context.get("plan_ended", False),
        "fragment": context.get("fragment"),
    }


@register.simple_tag
def sparkline(indicator):
    return charts.sparkline(indicator)
