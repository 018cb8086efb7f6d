"""Departments (牵头单位 / 责任单位 / 配合单位) and the roles they hold on pages of the plan."""

from collections import defaultdict

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index


class Department(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("市直单位")
        TOWN = "town", _("镇(街道)")
        GROUP = "group", _("领导小组及其办公室")
        OTHER = "other", _("其他单位")

    key = models.SlugField(_("标识"), max_length=40, unique=True, help_text=_("用于网址,只能包含字母、数字和连字符。"))
    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPAL)
    description = models.TextField(_("简介"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("key"), FieldPanel("kind"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("kind")]

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plan:department", args=[self.key])


class Role(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")
    PARTNER = "partner", _("配合单位")


class Responsibility(Orderable):
    """A department's role on a domain, task or mechanism page, stored at the level the plan states it."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="responsibilities")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("部门")
    )
    role = models.CharField(_("职责"), max_length=20, choices=Role.choices)

    panels = [FieldPanel("department"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [
            models.UniqueConstraint(fields=["page", "department", "role"], name="unique_responsibility"),
        ]

    def __str__(self):
        return f"{self.get_role_display()}:{self.department}"


def group_by_role(responsibilities) -> dict[str, list[Department]]:
    """{"lead": [...], "responsible": [...], "partner": [...]} from prefetched responsibilities."""
    grouped = {role.value: [] for role in Role}
    for item in responsibilities:
        grouped[item.role].append(item.department)
    return grouped


def responsibilities_of(pages):
    """The responsibilities held on these pages, with their departments, in editing order: one query."""
    return Responsibility.objects.filter(page__in=pages).select_related("department").order_by("sort_order", "pk")


def nearest_responsibilities(pages) -> tuple:
    """(page, responsibilities) of the deepest of `pages` that names any department, or (None, []).

    Where the plan names departments for a whole domain, they hold for each of its tasks and
    indicators unless the task names its own.
    """
    by_page = defaultdict(list)
    for row in responsibilities_of(pages):
        by_page[row.page_id].append(row)
    for page in sorted(pages, key=lambda page: page.depth, reverse=True):
        if by_page[page.pk]:
            return page, by_page[page.pk]
    return None, []
