"""The moderation queue's filters and search, shared by its listing and its bulk actions.

"Select all in listing" sends the queue's query string with the bulk action: applying the same
filters there means an action reaches what the moderator was looking at, not every submission.
"""

import django_filters

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

from .models import Submission

SEARCH_FIELDS = ["number", "title", "content"]


class SubmissionFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")

    class Meta:
        model = Submission
        fields = ["status", "kind", "domain", "department", "quarantined"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Submission.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


def search(queryset, query: str):
    """What the admin's own search does for a model outside the search index: icontains on each field."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


def listing_queryset(request):
    """The queue as the moderator filtered and searched it (query string of the listing)."""
    queryset = Submission.objects.all()
    filters = SubmissionFilterSet(request.GET, queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.qs
    if query := request.GET.get("q", "").strip():
        queryset = search(queryset, query)
    return queryset
