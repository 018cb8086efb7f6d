"""The plan itself, its source document (文号, issuer, full text) and its four phases."""

import datetime

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class SourceDocument(index.Indexed, models.Model):
    number = models.CharField(_("文号"), max_length=50, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    publisher = models.CharField(_("发布机构"), max_length=100, blank=True)
    issued_on = models.DateField(_("成文日期"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    disclosure = models.CharField(_("公开方式"), max_length=50, blank=True)
    adopted_by = models.CharField(_("审议会议"), max_length=100, blank=True)
    full_text = models.TextField(_("全文"))
    repairs = models.JSONField(
        _("文字修复记录"), default=list, blank=True, help_text=_("原网页抓取时丢失字符,导入时修复的原文与修复结果。")
    )

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("issuer"),
        FieldPanel("publisher"),
        FieldPanel("issued_on"),
        FieldPanel("published_at"),
        FieldPanel("disclosure"),
        FieldPanel("adopted_by"),
        FieldPanel("full_text"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("number"), index.SearchField("full_text")]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    def __str__(self):
        return f"{self.title}({self.number})"

    def get_absolute_url(self):
        return reverse("plan:document")


class Plan(models.Model):
    title = models.CharField(_("方案名称"), max_length=200)
    short_title = models.CharField(_("简称"), max_length=100)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"))
    guiding_ideology = models.TextField(_("指导思想"), blank=True)
    general_requirements = models.TextField(_("总体要求"), blank=True)
    organization = models.TextField(_("组织实施"), blank=True)
    document = models.OneToOneField(
        SourceDocument, on_delete=models.PROTECT, related_name="plan", verbose_name=_("文件")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("short_title"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("guiding_ideology"),
        FieldPanel("general_requirements"),
        FieldPanel("organization"),
        FieldPanel("document"),
    ]

    class Meta:
        verbose_name = _("试点方案")
        verbose_name_plural = _("试点方案")

    def __str__(self):
        return self.title

    @classmethod
    def current(cls):
        plans = cls.objects.select_related("document").annotate(last_phase_end=Max("phases__end_date"))
        return plans.order_by("-start_date").first()

    @property
    def closing_date(self) -> datetime.date:
        """When the plan's period ends: the end of its last phase (the timeline's), else its own end date."""
        last = getattr(self, "last_phase_end", None)
        if last is None and self.pk:
            last = self.phases.aggregate(last=Max("end_date"))["last"]
        return last or self.end_date

    def ended(self, today: datetime.date | None = None) -> bool:
        """Over, as the timeline shows it: every phase has ended. Statuses then become final verdicts."""
        from portal.plan.status import plan_ended

        return plan_ended(self.closing_date, today or timezone.localdate())


class Phase(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases", verbose_name=_("方案"))
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("阶段"), max_length=50)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    description = models.TextField(_("重点工作"))

    panels = [
        FieldPanel("plan"),
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("start_date"),
        FieldPanel("end_date"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("实施阶段")
        verbose_name_plural = _("实施阶段")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_phase_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
