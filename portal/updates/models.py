"""Progress updates (工作进展): news-like pages linked to domains and indicators."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.pages import PAGE_SEARCH_FIELDS, AncestryMixin, TitleSuffixesMixin

from .blocks import UpdateBodyBlock


class UpdateIndexPage(AncestryMixin, Page):
    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["plan.HomePage"]
    subpage_types = ["updates.UpdatePage"]
    max_count = 1
    template = "updates/update_index_page.html"

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("工作进展栏目")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        updates = UpdatePage.objects.child_of(self).live().public().order_by("-date", "-pk")
        updates = updates.prefetch_related("domains")
        context["updates"] = Paginator(updates, 20).get_page(request.GET.get("page"))
        return context


class UpdatePage(AncestryMixin, TitleSuffixesMixin, Page):
    date = models.DateTimeField(_("发布日期"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=100, default="领导小组办公室")
    summary = models.TextField(_("摘要"), max_length=500)
    body = StreamField(UpdateBodyBlock(), verbose_name=_("正文"), blank=True)
    domains = ParentalManyToManyField("plan.DomainPage", blank=True, related_name="updates", verbose_name=_("领域"))
    tasks = ParentalManyToManyField("plan.TaskPage", blank=True, related_name="updates", verbose_name=_("相关任务"))
    indicators = ParentalManyToManyField(
        "plan.IndicatorPage", blank=True, related_name="updates", verbose_name=_("相关指标")
    )
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("仅供开发演示(manage.py load_demo_corpus),正式环境不得使用。")
    )

    parent_page_types = ["updates.UpdateIndexPage"]
    subpage_types = []
    template = "updates/update_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("source"),
        FieldPanel("summary"),
        FieldPanel("domains"),
        FieldPanel("tasks"),
        FieldPanel("indicators"),
        FieldPanel("body"),
    ]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = _("工作进展")
        verbose_name_plural = _("工作进展")

    def pages_showing_this(self) -> list:
        """The domains, tasks and indicators it names list it among their latest updates (page cache purges)."""
        return [*self.domains.all(), *self.tasks.all(), *self.indicators.all()]
