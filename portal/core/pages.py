"""Behaviour every public page type shares."""

from django.utils.functional import cached_property

from wagtail.models import PageViewRestriction


class AncestryMixin:
    """Reads a page's ancestors once per request.

    Wagtail reads them to check view restrictions before serving, the breadcrumbs read them
    again, and child pages read them to find their parent: one list serves all three.
    """

    @cached_property
    def cached_ancestors(self) -> list:
        return list(self.get_ancestors())

    @property
    def breadcrumb_ancestors(self) -> list:
        return [page for page in self.cached_ancestors if not page.is_root()]

    def get_view_restrictions(self):
        # Same rule as Wagtail's Page.get_view_restrictions: an alias uses its source page's
        # restrictions, and every ancestor's restrictions apply.
        pages = [self, *self.cached_ancestors]
        return PageViewRestriction.objects.filter(page_id__in={page.alias_of_id or page.pk for page in pages})
