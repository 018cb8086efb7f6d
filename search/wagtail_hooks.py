"""Search in the admin: synonyms and recommended terms staff edit, and the report of queries that
found nothing."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import querylog
from .models import RecommendedTerm, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("搜索同义词")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["term", "expansions", "note", "updated_at"]
    search_fields = ["term", "expansions"]


register_snippet(SynonymViewSet)


class RecommendedTermViewSet(SnippetViewSet):
    """The only residents' words that public lists (大家常搜) may show besides the plan's own."""

    model = RecommendedTerm
    icon = "search"
    menu_label = _("推荐搜索词")
    menu_order = 301
    add_to_admin_menu = True
    list_display = ["term", "note", "updated_at"]
    search_fields = ["term", "note"]


register_snippet(RecommendedTermViewSet)


def zero_results_view(request):
    return render(request, "search/admin/zero_results.html", {"rows": querylog.zero_result_queries()})


@hooks.register("register_admin_urls")
def register_zero_results_url():
    return [path("search/zero-results/", zero_results_view, name="search_zero_results")]


@hooks.register("register_reports_menu_item")
def register_zero_results_menu_item():
    return MenuItem(_("无结果的搜索"), reverse("search_zero_results"), icon_name="search", order=900)
