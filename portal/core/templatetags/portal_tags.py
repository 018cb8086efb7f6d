"""Template helpers shared by every public page: numbers and metadata."""

from django import template
from django.utils import timezone

from portal.core.numbers import format_number

register = template.Library()


@register.filter
def num(value):
    """96.0000 → 96; keeps meaningful decimals."""
    return format_number(value)


@register.simple_tag
def pub_date(page):
    """PubDate for government-site metadata: the first publication, as YYYY-MM-DD HH:MM."""
    moment = getattr(page, "first_published_at", None) or getattr(page, "last_published_at", None)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
