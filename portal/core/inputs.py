"""Request input without control characters, before anything reads it.

A NUL byte in a query value reached PostgreSQL, which refuses it in a string (a 500 on search, suggest and the
feedback pages); in a form field it met Django's own NUL validator, whose message tells a resident nothing. No
resident means to type these characters: they come from copying, broken keyboards and probes. So they are removed
(sanitize.without_controls, the one rule) from every query string by the middleware, and from the data of every
public form by the mixin; everything else the resident typed is kept as typed.

Ids in links (``?task=12``) are read with id_param, which answers None rather than raise for whatever arrives.
"""

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from . import sanitize

__all__ = ["ControlCharactersMiddleware", "WithoutControlsFormMixin", "id_param", "without_controls"]

# Longer ids exceed a bigint; int() refuses non-ASCII digits such as "²" that str.isdigit() admits, and
# strings of more than 4,300 digits.
MAX_ID_DIGITS = 18


def without_controls(data):
    """data (a QueryDict, MultiValueDict or dict) with control characters removed from its keys and text values.

    The same object comes back when there is nothing to remove, which is nearly always.
    """
    if isinstance(data, MultiValueDict):
        items = list(data.lists())
        if not any(_has_controls(key) or any(map(_has_controls, values)) for key, values in items):
            return data
        encoding = getattr(data, "encoding", None)
        cleaned = QueryDict(mutable=True, encoding=encoding)
        for key, values in items:
            for value in values:
                cleaned.appendlist(_clean(key), _clean(value))
        # Parsed again from its own query string: immutable, as request.GET and request.POST are.
        return QueryDict(cleaned.urlencode(), encoding=encoding)
    if not any(_has_controls(key) or _has_controls(value) for key, value in data.items()):
        return data
    return {_clean(key): _clean(value) for key, value in data.items()}


def id_param(value: str | None) -> int | None:
    """A database id from a query or form value, or None; never an exception, whatever was sent."""
    if value and len(value) <= MAX_ID_DIGITS and value.isascii() and value.isdecimal():
        return int(value)
    return None


def _has_controls(value) -> bool:
    return isinstance(value, str) and sanitize.without_controls(value) != value


def _clean(value):
    return sanitize.without_controls(value) if isinstance(value, str) else value


class ControlCharactersMiddleware:
    """request.GET without control characters, for every view (Wagtail's and the admin's too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = without_controls(request.GET)
        return self.get_response(request)


class WithoutControlsFormMixin:
    """A form whose bound data has no control characters, so validation never meets one."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else without_controls(data), *args, **kwargs)
