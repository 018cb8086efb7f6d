"""Submissions (意见建议、监督投诉、咨询) and their public timeline.

Personal data (name, phone, email, IP) lives only in the columns named `contact_*` and `ip`; it is
never rendered publicly, never indexed and never exported without permission, and
`services.submission_erase_personal_data` blanks it while the anonymous record stays.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pages import ConsultationIndexPage, ConsultationPage  # noqa: F401 - page models live in pages.py


def keyed_digest(value: str) -> str:
    """HMAC-SHA256 under SECRET_KEY: lookup codes, voter tokens and addresses are stored only this way."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        """Answered items the citizen allowed to publish and a moderator approved for publication."""
        return self.filter(publish_allowed=True, is_public=True, status__in=Submission.ANSWERED_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status__in=Submission.OPEN_STATUSES, due_date__lt=today)


class Submission(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", _("意见建议")
        REPORT = "report", _("监督投诉")
        QUESTION = "question", _("咨询")
        # 我为政府网站找错: a fault on the site itself, with the page it was seen on; its own queue in the admin.
        SITE_ERROR = "site_error", _("网站找错")

    # What the letter form offers; a 找错 report comes only through its own form.
    LETTER_KINDS = [Kind.OPINION, Kind.REPORT, Kind.QUESTION]

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        ACCEPTED = "accepted", _("已受理")
        # An editor's draft answer waits for the office's approval before the citizen or the public sees it.
        REVIEW = "review", _("答复待审核")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")
        REJECTED = "rejected", _("不予受理")

    class Verification(models.TextChoices):
        """The reCAPTCHA check, run by a task after the submission is saved (never before)."""

        NOT_REQUIRED = "none", _("无需核验")
        PENDING = "pending", _("待核验")
        PASSED = "passed", _("已通过")
        FAILED = "failed", _("未通过")
        UNREACHABLE = "unreachable", _("无法连接核验服务")

    OPEN_STATUSES = [Status.RECEIVED, Status.ACCEPTED, Status.REVIEW]
    # The statuses in which the answer is final: before them it is a draft only staff see.
    ANSWERED_STATUSES = [Status.ANSWERED, Status.CLOSED]

    number = models.CharField(_("受理编号"), max_length=20, unique=True, null=True, blank=True)
    lookup_digest = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    domain = models.ForeignKey(
        "plan.DomainPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("领域")
    )
    task = models.ForeignKey(
        "plan.TaskPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("任务")
    )
    consultation = models.ForeignKey(
        "participation.ConsultationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        verbose_name=_("意见征集"),
    )
    page_url = models.CharField(_("出错页面"), max_length=500, blank=True)
    answers = models.JSONField(_("对征集问题的回答"), default=list, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"), max_length=3000)
    publish_allowed = models.BooleanField(_("同意公开"), default=False)
    is_public = models.BooleanField(_("审核后公开"), default=False)
    contact_name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact_phone = models.CharField(_("电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    quarantined = models.BooleanField(
        _("待人工核验"), default=False, help_text=_("人机验证未通过或无法完成的来信,须人工核验后才能处理。")
    )
    quarantine_reason = models.CharField(_("待人工核验原因"), max_length=200, blank=True)
    verification = models.CharField(
        _("人机验证"), max_length=20, choices=Verification.choices, default=Verification.NOT_REQUIRED, db_index=True
    )
    department = models.ForeignKey(
        "plan.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_submitted_at = models.DateTimeField(_("答复送审时间"), null=True, blank=True)
    answer_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("答复起草人"),
    )
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    due_date = models.DateField(_("答复期限"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    personal_data_erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()
    # Citizens' submissions reference nothing staff need to trace in Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("群众来信")
        verbose_name_plural = _("群众来信")
        permissions = [
            ("view_personal_data", _("可查看和导出来信人个人信息")),
            ("approve_answer", _("可审核答复并决定公开")),
            ("clear_quarantine", _("可解除待人工核验")),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.number or '—'} {self.title}"

    @staticmethod
    def digest(code: str) -> str:
        return keyed_digest(code.strip().upper())

    def code_matches(self, code: str) -> bool:
        return hmac.compare_digest(self.lookup_digest, self.digest(code))

    @property
    def answer_is_final(self) -> bool:
        return self.status in self.ANSWERED_STATUSES

    @property
    def is_published(self) -> bool:
        """The same rule as SubmissionQuerySet.published(), for one submission in hand."""
        return self.publish_allowed and self.is_public and self.answer_is_final

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date < timezone.localdate()


class SubmissionEvent(models.Model):
    """One step in a submission's life, shown on the tracking page unless internal."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Submission.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"


def current_period(today=None) -> str:
    """Ratings are collected per calendar quarter: 2026Q4."""
    today = today or timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


class SatisfactionRating(models.Model):
    """A resident's 1–5 rating of a domain for one quarter; one per browser and domain and quarter."""

    domain = models.ForeignKey("plan.DomainPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("领域"))
    period = models.CharField(_("期间"), max_length=7, db_index=True)
    score = models.PositiveSmallIntegerField(_("满意度"), choices=[(i, str(i)) for i in range(1, 6)])
    comment = models.TextField(_("意见"), blank=True, max_length=500)
    voter_digest = models.CharField(max_length=64, editable=False)
    ip_digest = models.CharField(max_length=64, editable=False, db_index=True)
    # Counted in the results only once reCAPTCHA passed (or when it is not configured).
    verification = models.CharField(
        _("人机验证"),
        max_length=20,
        choices=Submission.Verification.choices,
        default=Submission.Verification.NOT_REQUIRED,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        constraints = [
            models.UniqueConstraint(fields=["domain", "period", "voter_digest"], name="one_rating_per_voter"),
        ]

    def __str__(self):
        return f"{self.period} {self.domain_id}: {self.score}"


class EvaluationReport(models.Model):
    """A published third-party evaluation (第三方评估), shown beside the satisfaction results."""

    title = models.CharField(_("标题"), max_length=200)
    organization = models.CharField(_("评估机构"), max_length=100)
    period = models.CharField(_("评估期间"), max_length=50)
    summary = models.TextField(_("摘要"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报告文件"),
    )
    published_at = models.DateField(_("发布日期"), default=timezone.localdate)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("第三方评估报告")
        verbose_name_plural = _("第三方评估报告")

    def __str__(self):
        return self.title


class ReplyTemplate(models.Model):
    """A reusable answer that moderators start from (they edit it before sending)."""

    title = models.CharField(_("名称"), max_length=100, unique=True)
    body = models.TextField(_("答复内容"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")

    def __str__(self):
        return self.title
