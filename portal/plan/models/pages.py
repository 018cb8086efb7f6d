"""The plan's page tree: home → domains → tasks → indicators, and home → mechanisms → items.

Tasks and mechanism items share one page type (TaskPage): both are numbered pieces of work with
departments and, sometimes, quantitative targets.
"""

from collections import Counter, defaultdict

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Page
from wagtail.search import index

from portal.core.pages import LINK_FIELDS, PAGE_SEARCH_FIELDS, AncestryMixin, TitleSuffixesMixin
from portal.plan import status as rules

from .departments import Responsibility, group_by_role, nearest_responsibilities, responsibilities_of
from .document import Plan
from .indicator import IndicatorPage

RESPONSIBILITIES_PANEL = InlinePanel("responsibilities", heading=_("责任分工"), label=_("部门"))


def responsibilities_prefetch(lookup="responsibilities"):
    return Prefetch(lookup, queryset=Responsibility.objects.select_related("department").order_by("sort_order", "pk"))


def status_counts(indicators) -> dict[str, int]:
    """How many of `indicators` have each status; loaded with their readings (for_counts, for_cards), they
    read no measurement."""
    counts = Counter(indicator.current_status for indicator in indicators)
    return {status.value: counts.get(status.value, 0) for status in rules.Status}


class HomePage(AncestryMixin, Page):
    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "plan.DomainPage",
        "plan.MechanismIndexPage",
        "updates.UpdateIndexPage",
        "participation.ConsultationIndexPage",
        "about.ContactPage",
        "about.PrivacyPage",
        "about.StatementPage",
    ]
    max_count = 1
    template = "plan/home_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        domains = list(DomainPage.objects.child_of(self).live().order_by("path"))
        # Counts from the stored readings: no measurement is read, however many there are.
        indicators = list(IndicatorPage.objects.descendant_of(self).live().for_counts())
        by_domain = defaultdict(list)
        for indicator in indicators:
            by_domain[indicator.path[: self.depth * 4 + 4]].append(indicator)
        for domain in domains:
            domain.indicator_list = by_domain.get(domain.path, [])
            domain.counts = status_counts(domain.indicator_list)
        context.update(
            plan=Plan.current(),
            domains=domains,
            totals=status_counts(indicators),
            indicator_total=len(indicators),
            has_sample_data=any(i.has_sample_data for i in indicators),
        )
        return context


class DomainPage(AncestryMixin, TitleSuffixesMixin, Page):
    number = models.PositiveSmallIntegerField(_("序号"))
    goal = models.TextField(_("目标"))

    parent_page_types = ["plan.HomePage"]
    subpage_types = ["plan.TaskPage", "plan.IndicatorPage"]
    template = "plan/domain_page.html"

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("goal"), RESPONSIBILITIES_PANEL]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("goal")]

    class Meta:
        verbose_name = _("服务领域")
        verbose_name_plural = _("服务领域")

    def get_tasks(self):
        return TaskPage.objects.child_of(self).live().order_by("path").only(*LINK_FIELDS, "number", "progress")

    def get_indicators(self):
        return IndicatorPage.objects.descendant_of(self).live().order_by("path").for_cards()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tasks = list(self.get_tasks())
        indicators = list(self.get_indicators())
        by_parent = defaultdict(list)
        for indicator in indicators:
            by_parent[indicator.path[:-4]].append(indicator)
        # The domain's departments and every task's in one query.
        by_page = defaultdict(list)
        for row in responsibilities_of([self, *tasks]):
            by_page[row.page_id].append(row)
        for task in tasks:
            task.indicator_list = by_parent.get(task.path, [])
            task.responsibility_list = by_page[task.pk]
        roles = group_by_role(by_page[self.pk])
        context.update(
            tasks=tasks,
            indicators=indicators,
            domain_indicators=by_parent.get(self.path, []),
            roles=roles,
            counts=status_counts(indicators),
            has_sample_data=any(i.has_sample_data for i in indicators),
            updates=self.updates.live().public().order_by("-date", "-pk")[:5],
        )
        return context


class TaskPage(AncestryMixin, TitleSuffixesMixin, Page):
    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        COMPLETED = "completed", _("已完成")
        DELAYED = "delayed", _("滞后")

    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("方案原文"))
    progress = models.CharField(_("进展状态"), max_length=20, choices=Progress.choices, default=Progress.IN_PROGRESS)
    progress_note = models.TextField(_("进展说明"), blank=True)

    parent_page_types = ["plan.DomainPage", "plan.MechanismPage"]
    subpage_types = ["plan.IndicatorPage"]
    template = "plan/task_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        FieldPanel("text"),
        FieldPanel("progress"),
        FieldPanel("progress_note"),
        RESPONSIBILITIES_PANEL,
    ]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("text"), index.FilterField("progress")]

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.cached_ancestors[-1].specific
        source, rows = nearest_responsibilities([self, parent])
        indicators = list(IndicatorPage.objects.child_of(self).live().order_by("path").for_cards())
        context.update(
            section=parent,
            roles=group_by_role(rows),
            roles_inherited=source is not self,
            indicators=indicators,
            has_sample_data=any(i.has_sample_data for i in indicators),
        )
        return context


class MechanismIndexPage(AncestryMixin, Page):
    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["plan.HomePage"]
    subpage_types = ["plan.MechanismPage"]
    max_count = 1
    template = "plan/mechanism_index_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("体制机制创新")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        mechanisms = list(
            MechanismPage.objects.child_of(self).live().order_by("path").prefetch_related(responsibilities_prefetch())
        )
        items = TaskPage.objects.descendant_of(self).live().order_by("path")
        items = items.prefetch_related(responsibilities_prefetch())
        by_parent = defaultdict(list)
        for item in items:
            by_parent[item.path[:-4]].append(item)
        for mechanism in mechanisms:
            mechanism.item_list = by_parent.get(mechanism.path, [])
            mechanism.roles = group_by_role(mechanism.responsibilities.all())
            for item in mechanism.item_list:
                item.roles = group_by_role(item.responsibilities.all())
        context["mechanisms"] = mechanisms
        return context


class MechanismPage(AncestryMixin, TitleSuffixesMixin, Page):
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("方案原文"), blank=True)

    parent_page_types = ["plan.MechanismIndexPage"]
    subpage_types = ["plan.TaskPage"]
    template = "plan/mechanism_page.html"

    content_panels = Page.content_panels + [FieldPanel("number"), FieldPanel("text"), RESPONSIBILITIES_PANEL]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("text")]

    class Meta:
        verbose_name = _("体制机制")
        verbose_name_plural = _("体制机制")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = list(
            TaskPage.objects.child_of(self).live().order_by("path").prefetch_related(responsibilities_prefetch())
        )
        for item in items:
            item.roles = group_by_role(item.responsibilities.all())
        context.update(
            items=items,
            roles=group_by_role(responsibilities_of([self])),
        )
        return context
