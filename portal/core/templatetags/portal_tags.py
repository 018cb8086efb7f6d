"""Template helpers shared by every public page: numbers, metadata, the page's script and its switch."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import get_language, to_locale

from portal.core.numbers import format_number
from portal.core.script import TRADITIONAL

register = template.Library()

# Each script named in itself.
SWITCH_LABELS = {"zh-hans": "简体", TRADITIONAL: "繁體"}


@register.filter
def num(value):
    """96.0000 → 96; keeps meaningful decimals."""
    return format_number(value)


@register.simple_tag
def pub_date(page):
    """PubDate for government-site metadata: the first publication, as YYYY-MM-DD HH:MM."""
    moment = getattr(page, "first_published_at", None) or getattr(page, "last_published_at", None)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@register.simple_tag
def html_lang():
    """The page's language as HTML wants it: zh-Hans, or zh-Hant under /zh-hant/ (portal/core/script.py)."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


@register.simple_tag(takes_context=True)
def script_switch(context):
    """(label, URL) of this same page in the other script: 繁體 on a simplified page, 简体 on a traditional one.

    The same link for every reader of a URL, so it is safe in the page cache. The label is written in the script it
    leads to, and the link is marked with that language (lang="zh-Hans"), which the converter leaves as it is."""
    request = context.get("request")
    here = request.get_full_path() if request else "/"
    target = settings.LANGUAGE_CODE if get_language() == TRADITIONAL else TRADITIONAL
    return {
        "url": translate_url(here, target),
        "label": SWITCH_LABELS[target],
        "lang": to_locale(target).replace("_", "-"),
    }
