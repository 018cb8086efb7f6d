"""Indicators (quantitative targets) as pages, and the measurements staff record against them."""

import datetime
from decimal import Decimal
from functools import cached_property

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PublishingPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PageManager,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal.core.numbers import format_number
from portal.core.pages import LINK_FIELDS, PAGE_SEARCH_FIELDS, AncestryMixin, TitleSuffixesMixin
from portal.plan import status as rules

from .document import Plan
from .reading import READING_FIELDS

# The range a value may take, by unit: a percentage cannot exceed 100, a per-mille rate 1000.
UNIT_BOUNDS = {"%": (Decimal(0), Decimal(100)), "‰": (Decimal(0), Decimal(1000))}
DEFAULT_BOUNDS = (Decimal(0), None)


# Fields an indicator card, a status or a chart reads (see LINK_FIELDS).
CARD_FIELDS = ("code", "unit", "comparator", "target", "target_max", "target_year", "better")
CARD_FIELDS += ("baseline", "baseline_year")
SERIES_FIELDS = ("id", "indicator_id", "date", "value", "is_sample", "source", "note")
READING_LOOKUPS = tuple(f"reading__{name}" for name in READING_FIELDS)


class IndicatorQuerySet(PageQuerySet):
    def with_readings(self):
        """Attach each indicator's stored reading (a join, no extra query): its status, latest value and
        sample flag then read no measurements, so their cost does not follow the number of measurements."""
        return self.select_related("reading")

    def with_live_measurements(self):
        """Attach published measurements, oldest first, as `live_measurements` in one extra query."""
        return self.prefetch_related(live_series())

    def for_counts(self):
        """What status counts need, in one query whatever the number of indicators and measurements."""
        return self.with_readings().only(*LINK_FIELDS, *CARD_FIELDS, *READING_LOOKUPS)

    def for_cards(self):
        """What indicator cards need, in one query whatever the number; their series (the sparklines) in one more,
        when the first card is drawn rather than taken from the kept fragments (drawn_together)."""
        return self.for_counts()


def live_series() -> Prefetch:
    return Prefetch(
        "measurements",
        queryset=Measurement.objects.filter(live=True).order_by("date", "pk").only(*SERIES_FIELDS),
        to_attr="live_measurements",
    )


def drawn_together(indicators: list) -> list:
    """Cards shown on one page: the first whose sparkline is drawn loads every one's series, in one query. A card
    kept as a fragment of the page (portal/core/fragments.py) draws nothing, so a page whose cards are all kept
    reads no measurement."""
    for indicator in indicators:
        indicator.drawn_with = indicators
    return indicators


class IndicatorPage(AncestryMixin, TitleSuffixesMixin, Page):
    code = models.SlugField(_("指标编号"), max_length=20, unique=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    comparator = models.CharField(_("目标关系"), max_length=5, choices=rules.Comparator.choices)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4)
    target_max = models.DecimalField(_("目标上限"), max_digits=14, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年份"))
    baseline = models.DecimalField(_("基线值"), max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("基线年份"), null=True, blank=True)
    reference = models.CharField(_("参照标准"), max_length=200, blank=True)
    reference_value = models.DecimalField(_("参照值"), max_digits=14, decimal_places=4, null=True, blank=True)
    better = models.CharField(_("方向"), max_length=10, choices=rules.Better.choices, default=rules.Better.HIGHER)
    quote = models.TextField(_("方案原文"))
    repair_original = models.TextField(_("修复前原文"), blank=True)
    repair_note = models.TextField(_("修复说明"), blank=True)

    objects = PageManager.from_queryset(IndicatorQuerySet)()

    parent_page_types = ["plan.TaskPage", "plan.DomainPage"]
    subpage_types = []
    template = "plan/indicator_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("code"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("comparator"), FieldPanel("target"), FieldPanel("target_max")]),
                FieldRowPanel([FieldPanel("unit"), FieldPanel("target_year"), FieldPanel("better")]),
                FieldRowPanel([FieldPanel("baseline"), FieldPanel("baseline_year")]),
                FieldRowPanel([FieldPanel("reference"), FieldPanel("reference_value")]),
            ],
            heading=_("目标"),
        ),
        MultiFieldPanel(
            [FieldPanel("quote"), FieldPanel("repair_original"), FieldPanel("repair_note")], heading=_("出处")
        ),
    ]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("quote"), index.FilterField("code")]

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def clean(self):
        super().clean()
        if self.comparator == rules.Comparator.RANGE:
            if self.target_max is None:
                raise ValidationError({"target_max": _("目标关系为“介于”时必须填写目标上限。")})
            if self.target is not None and self.target_max < self.target:
                raise ValidationError({"target_max": _("目标上限不能小于目标值。")})
        low, high = self.value_bounds()
        for field in ("target", "baseline"):
            value = getattr(self, field)
            if value is not None and (value < low or (high is not None and value > high)):
                raise ValidationError({field: _("数值超出单位“%(unit)s”的合理范围。") % {"unit": self.unit}})

    def get_context(self, request, *args, **kwargs):
        from portal.core.charts import line_chart

        from .pages import data_updated, plan_context

        context = super().get_context(request, *args, **kwargs)
        context.update(
            plan_context(Plan.current()),
            data_updated=data_updated([self]),
            section=self.cached_ancestors[-1].specific,
            roles=self.responsible_roles(),
            chart=line_chart(self),
        )
        return context

    def responsible_roles(self) -> dict:
        """Departments from the nearest ancestor (task, then domain) that names any."""
        from .departments import group_by_role, nearest_responsibilities

        return group_by_role(nearest_responsibilities(self.cached_ancestors)[1])

    def value_bounds(self):
        return UNIT_BOUNDS.get(self.unit, DEFAULT_BOUNDS)

    @property
    def target_rule(self) -> rules.Target:
        return rules.Target(
            comparator=self.comparator,
            value=self.target,
            value_max=self.target_max,
            year=self.target_year,
            better=self.better,
            baseline=self.baseline,
            baseline_year=self.baseline_year,
        )

    @cached_property
    def series(self) -> list:
        """Published measurements oldest first, from the prefetch when the caller made one (or drawn_together)."""
        if not hasattr(self, "live_measurements") and hasattr(self, "drawn_with"):
            prefetch_related_objects([i for i in self.drawn_with if not hasattr(i, "live_measurements")], live_series())
        if hasattr(self, "live_measurements"):
            return self.live_measurements
        return list(self.measurements.filter(live=True).order_by("date", "pk"))

    @cached_property
    def loaded_reading(self):
        """The stored reading when the query attached it (with_readings), else None: then the latest
        value and the status come from the series, which the indicator's own page loads for its chart
        and table anyway. Neither the reading nor the series is ever loaded just for the other's sake."""
        from .reading import IndicatorReading

        relation = type(self).reading.related
        if not relation.is_cached(self):
            return None
        # No row: no measurement of this indicator has been published since readings were kept.
        return relation.get_cached_value(self) or IndicatorReading(indicator_id=self.pk)

    @cached_property
    def latest(self):
        """The latest published measurement: its `value`, `date` and `is_sample`."""
        if self.loaded_reading is not None:
            return self.loaded_reading.latest
        return self.series[-1] if self.series else None

    @property
    def has_sample_data(self) -> bool:
        if self.loaded_reading is not None:
            return self.loaded_reading.sample_count > 0
        return any(m.is_sample for m in self.series)

    def status(self, today: datetime.date | None = None) -> str:
        """The status as seen on `today`: computed each time, as a deadline passing changes it."""
        if self.loaded_reading is not None:
            points = self.loaded_reading.points
        else:
            points = [rules.Point(m.date, m.value) for m in self.series]
        return rules.evaluate(self.target_rule, points, today or timezone.localdate())

    @cached_property
    def current_status(self) -> str:
        return self.status()

    @property
    def status_label(self) -> str:
        return rules.Status(self.current_status).label

    @cached_property
    def progress(self) -> int:
        return rules.progress_percent(self.target_rule, self.latest.value if self.latest else None)

    @cached_property
    def target_display(self) -> str:
        """The target as a resident reads it: “≥ 96%”, “≤ 6‰”, “约 8倍”, “5–10 人”."""
        fmt = format_number
        if self.comparator == rules.Comparator.RANGE:
            return f"{fmt(self.target)}–{fmt(self.target_max)}{self.unit}"
        sign = {">=": "≥", "<=": "≤", "=": "约"}[self.comparator]
        return f"{sign} {fmt(self.target)}{self.unit}"


class Measurement(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """One reading of an indicator. Only published (live) measurements are shown to the public.

    Staff enter them as snippets that go through the two-step workflow; progress updates may
    also record them (then `update` points at the update page that published them).
    """

    indicator = models.ForeignKey(
        IndicatorPage, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("指标")
    )
    date = models.DateField(_("统计日期"))
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=200)
    note = models.TextField(_("备注"), blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False, help_text=_("仅供开发演示,正式环境不得使用。"))
    update = models.ForeignKey(
        "updates.UpdatePage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recorded_measurements",
        verbose_name=_("来自工作进展"),
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="measurement")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="measurement",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("indicator"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("value")]),
        FieldPanel("source"),
        FieldPanel("note"),
        PublishingPanel(),
    ]

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("监测数据")
        verbose_name_plural = _("监测数据")
        indexes = [models.Index(fields=["indicator", "live", "date"])]

    def __str__(self):
        unit = self.indicator.unit if self.indicator_id else ""
        return f"{self.indicator if self.indicator_id else ''} {self.date}:{format_number(self.value)}{unit}"

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        errors = {}
        plan = Plan.current()
        if self.date and plan and not (plan.start_date <= self.date <= plan.end_date):
            errors["date"] = _("统计日期须在方案实施期内(%(start)s 至 %(end)s)。") % {
                "start": plan.start_date,
                "end": plan.end_date,
            }
        if self.value is not None and self.indicator_id:
            low, high = self.indicator.value_bounds()
            unit = self.indicator.unit
            if self.value < low:
                errors["value"] = _("数值不能小于 %(low)s%(unit)s。") % {"low": format_number(low), "unit": unit}
            elif high is not None and self.value > high:
                errors["value"] = _("单位为“%(unit)s”的数值不能大于 %(high)s。") % {
                    "unit": unit,
                    "high": format_number(high),
                }
        if errors:
            raise ValidationError(errors)
