"""Behaviour every public page type shares."""

from django.utils.functional import cached_property

from wagtail.models import Page
from wagtail.search import index

# What a listing needs to show a page as a link (title, URL, tree position). Listings load only
# these and their own fields: a Wagtail page has some forty columns, and building the SQL and the
# objects for all of them was a fifth of a domain page's time. A field left out is loaded on first
# use, one query per object: the query-count tests catch that.
LINK_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "draft_title",
    "slug",
    "url_path",
    "live",
    "locale_id",
    "content_type_id",
    "translation_key",
    "alias_of_id",
    "first_published_at",
    "last_published_at",
)


class AncestryMixin:
    """Reads a page's ancestors once per request: the breadcrumbs and the page's own context
    (a task's section, an indicator's departments) share one list."""

    @cached_property
    def cached_ancestors(self) -> list:
        return list(self.get_ancestors())

    @property
    def breadcrumb_ancestors(self) -> list:
        return [page for page in self.cached_ancestors if not page.is_root()]


class TitleSuffixesMixin:
    """Lets the admin's page search find a page by any part of its title: 持卡率 finds 社会保障卡持卡率.

    The admin searches pages with Wagtail's database backend as an autocomplete query, which matches
    whole words or their beginnings, and PostgreSQL reads a run of Chinese characters as one word.
    Indexing every suffix of the title makes each part of it the beginning of some word. Titles are
    short, so the suffixes are few. After adding this to a page type, run `manage.py update_index` once.
    """

    def title_suffixes(self) -> str:
        title = "".join(self.title.split())
        return " ".join(title[start:] for start in range(len(title)))


# Wagtail's page search fields and the title's suffixes, for page types that mix in TitleSuffixesMixin.
PAGE_SEARCH_FIELDS = [*Page.search_fields, index.AutocompleteField("title_suffixes")]
