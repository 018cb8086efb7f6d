"""The moderation queue's filters and search, shared by its listing and its bulk actions.

"Select all in listing" sends the queue's query string with the bulk action: applying the same
filters there means an action reaches what the moderator was looking at, not every submission.
Submissions still waiting for their reCAPTCHA check are left out unless the verification filter asks,
and 找错 reports unless the kind filter asks (they are the 网站找错 queue).
"""

import django_filters

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

from .models import Submission

SEARCH_FIELDS = ["number", "title", "content"]
ALL_VERIFICATIONS = "all"


class SubmissionFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")
    verification = django_filters.ChoiceFilter(
        label=_("人机验证"),
        choices=[(ALL_VERIFICATIONS, _("全部(含待核验)")), *Submission.Verification.choices],
        empty_label=_("不含待核验"),
        method="filter_verification",
    )

    class Meta:
        model = Submission
        fields = ["status", "kind", "domain", "department", "quarantined"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Submission.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_verification(self, queryset, name, value):
        return queryset if value == ALL_VERIFICATIONS else queryset.filter(verification=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # A letter whose check is still running may yet turn out to be a robot's: it is nobody's work until
        # the check ends (minutes at most), so the queue leaves it out unless asked.
        if not self.form.cleaned_data.get("verification"):
            queryset = queryset.exclude(verification=Submission.Verification.PENDING)
        # 找错 reports have their own queue (the 网站找错 menu entry is this listing with ?kind=site_error):
        # the letters' queue shows them only when that kind is asked for.
        if not self.form.cleaned_data.get("kind"):
            queryset = queryset.exclude(kind=Submission.Kind.SITE_ERROR)
        return queryset


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
