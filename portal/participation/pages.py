"""Consultations (意见征集) on livelihood projects: background, documents, dates, questions, outcome."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.pages import PAGE_SEARCH_FIELDS, AncestryMixin, TitleSuffixesMixin

# The plan's 民主决策机制 (its key in plan.yaml), whose page links the consultations.
DECISION_MECHANISM = "democratic-decision"


class ConsultationIndexPage(AncestryMixin, Page):
    intro = models.TextField(_("导语"), blank=True)

    parent_page_types = ["plan.HomePage"]
    subpage_types = ["participation.ConsultationPage"]
    max_count = 1
    template = "participation/consultation_index_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("意见征集栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["consultations"] = ConsultationPage.objects.child_of(self).live().public().order_by("-opens_at")
        return context


class ConsultationPage(AncestryMixin, TitleSuffixesMixin, Page):
    domain = models.ForeignKey(
        "plan.DomainPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("领域")
    )
    summary = models.TextField(_("摘要"), max_length=500)
    background = RichTextField(_("项目背景"), features=["bold", "italic", "ol", "ul", "link", "document-link"])
    documents = StreamField(
        [("document", DocumentChooserBlock(label=_("文件")))], blank=True, verbose_name=_("相关文件")
    )
    questions = StreamField(
        [("question", blocks.CharBlock(label=_("问题"), max_length=200))], blank=True, verbose_name=_("征集问题")
    )
    opens_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closes_at = models.DateTimeField(_("截止时间"))
    outcome = RichTextField(_("征集结果"), blank=True, help_text=_("截止后公布:收到多少意见、采纳了哪些、理由。"))
    outcome_notified_at = models.DateTimeField(_("结果通知时间"), null=True, blank=True, editable=False)

    parent_page_types = ["participation.ConsultationIndexPage"]
    subpage_types = []
    template = "participation/consultation_page.html"
    content_panels = Page.content_panels + [
        FieldPanel("domain"),
        FieldPanel("summary"),
        FieldPanel("background"),
        FieldPanel("documents"),
        FieldPanel("questions"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")])], heading=_("征集时间")),
        FieldPanel("outcome"),
    ]
    search_fields = PAGE_SEARCH_FIELDS + [index.SearchField("summary"), index.SearchField("background")]

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("截止时间必须晚于开始时间。")})

    def pages_showing_this(self):
        """Besides its ancestors (the index, the home page): 民主决策机制, which lists the open consultations
        (portal/core/purging.py purges them with it)."""
        from portal.plan.models import MechanismPage

        return list(MechanismPage.objects.filter(slug=DECISION_MECHANISM))

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    def question_list(self) -> list[str]:
        return [block.value for block in self.questions]

    def get_context(self, request, *args, **kwargs):
        from .forms import SubmissionForm
        from .models import Submission

        context = super().get_context(request, *args, **kwargs)
        received = Submission.objects.filter(consultation=self)
        context.update(
            opinion_count=received.count(),
            published=received.published().order_by("-answered_at"),
            # An opinion on this consultation, about its domain: the form asks for neither.
            form=SubmissionForm(consultation=self).preset(
                kind=Submission.Kind.OPINION, domain=self.domain_id, task=None
            )
            if self.is_open
            else None,
        )
        return context
