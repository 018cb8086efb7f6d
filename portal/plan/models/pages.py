"""The plan's page tree: home → domains → tasks → indicators, and home → mechanisms → items.

Tasks and mechanism items share one page type (TaskPage): both are numbered pieces of work with
departments and, sometimes, quantitative targets.
"""

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from portal.core.pages import LINK_FIELDS, PAGE_SEARCH_FIELDS, AncestryMixin, TitleSuffixesMixin
from portal.plan import status as rules

from .departments import Responsibility, group_by_role, nearest_responsibilities, responsibilities_of
from .document import Plan
from .indicator import IndicatorPage, drawn_together

RESPONSIBILITIES_PANEL = InlinePanel("responsibilities", heading=_("责任分工"), label=_("部门"))


def responsibilities_prefetch(lookup="responsibilities"):
    return Prefetch(lookup, queryset=Responsibility.objects.select_related("department").order_by("sort_order", "pk"))


def status_counts(indicators, ended: bool = False) -> dict[str, int]:
    """How many of `indicators` have each status (each final verdict once the plan has `ended`); loaded with
    their readings (for_counts, for_cards), they read no measurement."""
    counts = Counter(rules.shown_status(indicator.current_status, ended) for indicator in indicators)
    return {status.value: counts.get(status.value, 0) for status in rules.Status}


def plan_context(plan) -> dict:
    """What every page that shows a status needs of the plan: whether its period is over."""
    return {"plan": plan, "plan_ended": bool(plan and plan.ended())}


def data_updated(indicators, assessed=()) -> datetime.date | None:
    """The latest date of what a page's statuses stand on: its indicators' latest published readings (from
    their stored readings or series) and the editors' assessments."""
    dates = [indicator.latest.date for indicator in indicators if indicator.latest]
    dates += [day for day in assessed if day]
    return max(dates, default=None)


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
        period = plan_context(Plan.current())
        # The overview is a fragment of the page kept between renders (portal/core/fragments.py): worked out only
        # when the template does not hold it already.
        context.update(period, overview=SimpleLazyObject(lambda: self.overview(period["plan_ended"])))
        return context

    def overview(self, ended: bool) -> dict:
        """Each domain's status counts and the plan's: from the stored readings, so no measurement is read, however
        many there are."""
        domains = list(DomainPage.objects.child_of(self).live().order_by("path"))
        indicators = list(IndicatorPage.objects.descendant_of(self).live().for_counts())
        by_domain = defaultdict(list)
        for indicator in indicators:
            by_domain[indicator.path[: self.depth * 4 + 4]].append(indicator)
        for domain in domains:
            domain.indicator_list = by_domain.get(domain.path, [])
            domain.counts = status_counts(domain.indicator_list, ended)
        assessed = TaskPage.objects.descendant_of(self).live().aggregate(last=Max("assessed_on"))["last"]
        return {
            "domains": domains,
            "totals": status_counts(indicators, ended),
            "data_updated": data_updated(indicators, [assessed]),
            "indicator_total": len(indicators),
            "has_sample_data": any(i.has_sample_data for i in indicators),
        }


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
        return TaskPage.objects.child_of(self).live().order_by("path").only(*LINK_FIELDS, "number", *ASSESSMENT_FIELDS)

    def get_indicators(self):
        return IndicatorPage.objects.descendant_of(self).live().order_by("path").for_cards()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tasks = list(self.get_tasks())
        indicators = drawn_together(list(self.get_indicators()))
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
            task.status = task.status_from(task.indicator_list)
        roles = group_by_role(by_page[self.pk])
        period = plan_context(Plan.current())
        context.update(
            period,
            tasks=tasks,
            indicators=indicators,
            domain_indicators=by_parent.get(self.path, []),
            roles=roles,
            counts=status_counts(indicators, period["plan_ended"]),
            data_updated=data_updated(indicators, [task.assessed_on for task in tasks]),
            has_sample_data=any(i.has_sample_data for i in indicators),
            updates=self.updates.live().public().order_by("-date", "-pk")[:5],
        )
        return context


# What an editor may judge a task to be; "no data" is what the absence of a judgement already says.
ASSESSMENT_CHOICES = [
    (rules.Status.MET, _("已达标(实施期结束后显示为“已完成”)")),
    (rules.Status.ON_TRACK, _("按计划推进(实施期结束后显示为“未完成”)")),
    (rules.Status.BEHIND, _("滞后(实施期结束后显示为“未完成”)")),
]
ASSESSMENT_FIELDS = ("assessment", "assessed_on", "progress_note")


class TaskPage(AncestryMixin, TitleSuffixesMixin, Page):
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("方案原文"))
    # A task's status comes from its targets; an editor's dated assessment, when recorded, stands instead
    # (most tasks have no numeric target, and a target can be met while the work is not done).
    assessment = models.CharField(
        _("编辑评估"),
        max_length=20,
        choices=ASSESSMENT_CHOICES,
        blank=True,
        help_text=_("留空则按本任务的量化目标自动判断;填写后以此为准,并须填写评估日期。"),
    )
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)
    progress_note = models.TextField(_("评估说明"), blank=True, help_text=_("向公众说明评估的依据。"))

    parent_page_types = ["plan.DomainPage", "plan.MechanismPage"]
    subpage_types = ["plan.IndicatorPage"]
    template = "plan/task_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("assessment"), FieldPanel("assessed_on")]), FieldPanel("progress_note")],
            heading=_("进展评估"),
        ),
        RESPONSIBILITIES_PANEL,
    ]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("text"), index.FilterField("assessment")]

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def clean(self):
        super().clean()
        if self.assessment and not self.assessed_on:
            raise ValidationError({"assessed_on": _("填写了编辑评估,请同时填写评估日期。")})
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": _("评估日期不能晚于今天。")})
        if self.assessed_on and not self.assessment:
            raise ValidationError({"assessment": _("填写了评估日期,请选择评估结果;不评估请清空日期。")})

    def status_from(self, indicators) -> str:
        """The status from these (its own) indicators, or the editor's assessment."""
        return rules.task_status([indicator.current_status for indicator in indicators], self.assessment)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.cached_ancestors[-1].specific
        source, rows = nearest_responsibilities([self, parent])
        indicators = drawn_together(list(IndicatorPage.objects.child_of(self).live().order_by("path").for_cards()))
        context.update(
            plan_context(Plan.current()),
            status=self.status_from(indicators),
            data_updated=data_updated(indicators, [self.assessed_on]),
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
