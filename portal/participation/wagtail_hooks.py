"""Moderation in the Wagtail admin: a filterable queue with bulk actions, answers (drafted by editors,
approved by the office: moderation.py), and an audit trail."""

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from portal.core.exports import SafeSpreadsheetExportMixin

from . import bulk_actions
from .filters import SEARCH_FIELDS, SubmissionFilterSet
from .models import EvaluationReport, ReplyTemplate, Submission
from .moderation import ModerationForm, SubmissionEditView, SubmissionInspectView


def mask(value: str) -> str:
    """Enough to recognise a contact, not enough to use it: 138****5678, 张*."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return (
        value[:3] + "*" * max(len(value) - 7, 2) + value[-4:]
        if value[0].isdigit()
        else value[0] + "*" * (len(value) - 1)
    )


EXPORT_FIELDS = [
    "number", "kind", "domain", "task", "title", "content", "status", "created_at", "due_date", "department",
    "answer", "answered_at", "rejection_reason", "publish_allowed", "is_public", "quarantined",
]  # fmt: skip
PERSONAL_FIELDS = ["contact_name", "contact_phone", "contact_email"]


class NumberColumn(ButtonsColumnMixin, TitleColumn):
    """The queue's first column as Wagtail draws a title column (a link with the row's buttons), with an id
    on the number: each bulk-action checkbox's aria-describedby names it, so screen readers name the row."""

    def __init__(self, view):
        super().__init__(
            "number",
            label=_("受理编号"),
            sort_key="number",
            get_url=lambda item: view.get_edit_url(item) or view.get_inspect_url(item),
            get_title_id=lambda item: f"submission_{quote(item.pk)}_title",
        )
        self.view = view

    def get_buttons(self, instance, parent_context):
        return self.view.get_list_buttons(instance)


class SubmissionIndexView(SafeSpreadsheetExportMixin, IndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Personal data leaves the system only for roles that need it.
        personal = request.user.has_perm("participation.view_personal_data")
        self.list_export = EXPORT_FIELDS + (PERSONAL_FIELDS if personal else [])

    @cached_property
    def columns(self):
        # Checkboxes for the bulk actions in bulk_actions.py, as Wagtail's snippet listings have them, and
        # NumberColumn in place of the title column Wagtail makes of list_display's first field ("number").
        checkboxes = BulkActionsCheckboxColumn("bulk_actions", obj_type="submission")
        return [checkboxes, NumberColumn(self), *super().columns[1:]]


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "mail"
    menu_label = _("群众来信")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    create_view_enabled = False
    edit_view_class = SubmissionEditView
    inspect_view_class = SubmissionInspectView
    index_view_class = SubmissionIndexView
    index_template_name = "participation/admin/submission_index.html"
    list_export = EXPORT_FIELDS
    export_filename = "submissions"
    filterset_class = SubmissionFilterSet
    search_fields = SEARCH_FIELDS
    ordering = ["due_date"]
    list_display = [
        "number",
        "title",
        "kind",
        "status",
        Column(
            "due_date", label=_("答复期限"), accessor=lambda s: f"{s.due_date:%Y-%m-%d}{' ⚠' if s.is_overdue else ''}"
        ),
        Column("contact", label=_("来信人"), accessor=lambda s: mask(s.contact_name)),
        "department",
    ]

    def get_form_class(self, for_update=False):
        # Which fields and statuses it offers depends on the user: see moderation.ModerationForm.
        return ModerationForm


class ReplyTemplateViewSet(ModelViewSet):
    model = ReplyTemplate
    icon = "doc-empty"
    menu_label = _("答复模板")
    add_to_admin_menu = True
    menu_order = 255
    form_fields = ["title", "body"]
    list_display = ["title"]
    search_fields = ["title", "body"]


class EvaluationReportViewSet(ModelViewSet):
    model = EvaluationReport
    icon = "doc-full"
    menu_label = _("第三方评估报告")
    add_to_admin_menu = True
    menu_order = 260
    form_fields = ["title", "organization", "period", "summary", "document", "published_at"]
    list_display = ["title", "organization", "period", "published_at"]


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return SubmissionViewSet("submissions")


class SiteErrorMenuItem(MenuItem):
    """网站找错: the submissions queue filtered to 找错 reports, shown to whoever may see the queue.

    A filter of the one queue rather than a second listing, so that its filters, search, exports and bulk
    actions (which read the listing's query string) are the letters' own and reach only the reports.
    """

    def is_shown(self, request):
        return any(request.user.has_perm(f"participation.{action}_submission") for action in ("change", "view"))


@hooks.register("register_admin_menu_item")
def register_site_error_menu_item():
    url = reverse("submissions:index") + f"?kind={Submission.Kind.SITE_ERROR}"
    return SiteErrorMenuItem(_("网站找错"), url, name="site-errors", icon_name="warning", order=251)


@hooks.register("register_admin_viewset")
def register_reply_template_viewset():
    return ReplyTemplateViewSet("reply_templates")


@hooks.register("register_admin_viewset")
def register_report_viewset():
    return EvaluationReportViewSet("evaluation_reports")


for action in bulk_actions.ACTIONS:
    hooks.register("register_bulk_action", action)


class ReturnFormatter(LogFormatter):
    """The audit log keeps what the approver asked the drafter to change."""

    label = _("退回答复")
    message = _("退回答复,请起草人修改")

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("comment", "")


class AssignFormatter(LogFormatter):
    """The audit log names the department an item went to."""

    label = _("分派给部门")

    def format_message(self, log_entry):
        department = (log_entry.data or {}).get("department", {}).get("name", "")
        return _("分派给%(department)s") % {"department": department}


@hooks.register("register_log_actions")
def register_participation_actions(actions):
    actions.register_action("participation.accept", _("受理"), _("受理来信"))
    actions.register_action("participation.answer", _("答复"), _("答复来信"))
    actions.register_action("participation.submit", _("送审答复"), _("提交答复草稿,等待审核"))
    actions.register_action("participation.approve", _("审核通过答复"), _("审核通过答复"))
    actions.register_action("participation.return")(ReturnFormatter)
    # Public means listed on /feedback/answers/ once the answer is final and if the citizen agreed.
    actions.register_action("participation.publish", _("公开答复"), _("设为审核后公开"))
    actions.register_action("participation.withdraw", _("撤回公开"), _("撤回公开,不再在“答复公开”页显示"))
    actions.register_action("participation.quarantine", _("标记待人工核验"), _("标记为待人工核验"))
    actions.register_action("participation.clear_quarantine", _("解除待人工核验"), _("解除待人工核验"))
    actions.register_action("participation.close", _("办结"), _("办结来信"))
    actions.register_action("participation.reject", _("不予受理"), _("不予受理"))
    actions.register_action("participation.assign")(AssignFormatter)
    actions.register_action("participation.erase", _("删除个人信息"), _("删除来信人个人信息"))
