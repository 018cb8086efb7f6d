"""The site map page, robots.txt and sitemap.xml."""

from collections import defaultdict

from django.shortcuts import render
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps.views import sitemap

from portal.core.links import absolute_url
from portal.core.pages import LINK_FIELDS
from portal.participation.pages import ConsultationIndexPage, ConsultationPage
from portal.plan.models import DomainPage, HomePage, MechanismPage, TaskPage

from .models import ContactPage, PrivacyPage, StatementPage
from .sitemaps import SITEMAPS


def children_by_parent(pages) -> dict:
    by_parent = defaultdict(list)
    for page in pages:
        by_parent[page.path[:-4]].append(page)
    return by_parent


@require_GET
def site_map(request):
    """网站地图: every section, the domains with their tasks and the mechanisms with their items."""
    live = {model: model.objects.live().public().order_by("path") for model in (DomainPage, MechanismPage)}
    sections = {model: list(live[model].only(*LINK_FIELDS)) for model in live}
    tasks = children_by_parent(TaskPage.objects.live().public().order_by("path").only(*LINK_FIELDS, "number"))
    for section in (*sections[DomainPage], *sections[MechanismPage]):
        section.task_list = tasks.get(section.path, [])
    about = {
        model.DEFAULT_SLUG: model.objects.live().public().only(*LINK_FIELDS).first()
        for model in (ContactPage, PrivacyPage, StatementPage)
    }
    context = {
        "home": HomePage.objects.live().only(*LINK_FIELDS).first(),
        "domains": sections[DomainPage],
        "mechanisms": sections[MechanismPage],
        "consultation_index": ConsultationIndexPage.objects.live().public().only(*LINK_FIELDS).first(),
        "consultations": list(ConsultationPage.objects.live().public().order_by("-opens_at").only(*LINK_FIELDS)),
        "about": about,
    }
    return render(request, "about/site_map.html", context)


@require_GET
def robots_txt(request):
    context = {"sitemap_url": absolute_url("/sitemap.xml")}
    return render(request, "about/robots.txt", context, content_type="text/plain; charset=utf-8")


@require_GET
def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)
