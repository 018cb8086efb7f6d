"""Bulk moderation of the submission queue, on Wagtail's bulk action framework.

Each action goes through the same service functions as a single edit (the one table of status steps,
timeline event, audit log entry, mail to the citizen after commit), inside the one transaction that
``BulkAction.form_valid`` opens: a bulk action never lets a role do what its single edit refuses.
Items whose status does not allow the step are left alone and counted in a message: a mixed selection
is the normal case in a queue, not an error.
"""

from django import forms
from django.db.models import QuerySet
from django.shortcuts import get_list_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from portal.plan.models import Department

from . import filters, services
from .models import Submission


class SubmissionBulkAction(PermissionCheckedMixin, BulkAction):
    """Shared by the four actions: who may act, which items, the confirmation page and the messages."""

    models = [Submission]
    permission_required = "change"  # participation.change_submission, as for a single edit
    template_name = "participation/admin/bulk_confirm.html"
    # What the confirmation page and the messages say, each with %(count)s: set by each action.
    intro = ""
    skipped_intro = ""
    skipped_message = ""
    done = ""
    button_text = ""

    def check_perm(self, obj):
        return self.user_has_permission_for_instance("change", obj)

    @classmethod
    def get_queryset(cls, model, object_ids):
        if not isinstance(object_ids, QuerySet):  # ids from the query string: anything can come in
            object_ids = [pk for pk in object_ids if pk.isdigit()]
        return get_list_or_404(model.objects.select_related("department").order_by("due_date", "pk"), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        return filters.listing_queryset(self.request).values_list("pk", flat=True)

    def applies_to(self, submission) -> bool:
        raise NotImplementedError

    def perform(self, pks) -> tuple[list, list]:
        """Run the service on these ids; returns (changed, skipped)."""
        raise NotImplementedError

    def object_context(self, obj):
        return {"item": obj, "edit_url": reverse("submissions:edit", args=[obj.pk])}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["skipped"] = [item for item in context["items"] if not self.applies_to(item["item"])]
        context["items"] = [item for item in context["items"] if self.applies_to(item["item"])]
        context["intro"] = self.intro % {"count": len(context["items"])}
        context["skipped_intro"] = self.skipped_intro % {"count": len(context["skipped"])}
        context["action_button_text"] = self.button_text
        context["no_action_button_text"] = _("取消")
        context["action_button_class"] = " ".join(self.classes)  # 不予受理 in red, as on the footer
        return context

    def execute_action(self, objects, **kwargs):
        # An instance method (Wagtail's own are class methods): the skipped items feed the messages.
        changed, self.skipped = self.perform([obj.pk for obj in objects])
        return len(changed), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if self.skipped:
            messages.warning(self.request, self.skipped_message % {"count": len(self.skipped)})
        if not num_parent_objects:
            return None
        return self.done % {"count": num_parent_objects, **self.done_details()}

    def done_details(self) -> dict:
        return {}


class MoveBulkAction(SubmissionBulkAction):
    status = None

    def applies_to(self, submission) -> bool:
        return services.submission_can_move(submission=submission, status=self.status, user=self.request.user)

    def perform(self, pks):
        return services.submission_bulk_move(pks=pks, status=self.status, user=self.request.user)


class AcceptBulkAction(MoveBulkAction):
    display_name = _("受理")
    action_type = "accept"
    aria_label = _("受理所选来信")
    action_priority = 10
    status = Submission.Status.ACCEPTED
    intro = _("将受理以下 %(count)s 件来信,来信人可在办理进度中看到“已受理”。")
    skipped_intro = _("以下 %(count)s 件来信不是“已收到”状态,不能受理,将被跳过:")
    skipped_message = _("%(count)s 件来信不是“已收到”状态,不能受理,已跳过。")
    done = _("已受理 %(count)s 件来信。")
    button_text = _("确认受理")


class AssignForm(forms.Form):
    # A plain select: moderators need no permission on departments to pick one, and the list is short.
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        label=_("承办单位"),
        error_messages={"required": _("请选择承办单位。")},
    )


class AssignBulkAction(SubmissionBulkAction):
    display_name = _("分派给部门")
    action_type = "assign"
    aria_label = _("将所选来信分派给部门")
    action_priority = 20
    form_class = AssignForm
    intro = _("将以下 %(count)s 件来信分派给所选部门办理,来信人可在办理进度中看到承办单位。")
    skipped_intro = _("以下 %(count)s 件来信已答复、已办结或不予受理,不能分派,将被跳过:")
    skipped_message = _("%(count)s 件来信已答复、已办结、不予受理或已由该部门承办,未分派,已跳过。")
    done = _("已将 %(count)s 件来信分派给%(department)s。")
    button_text = _("确认分派")

    def applies_to(self, submission) -> bool:
        # Before the form is filled in, any open item may be assigned; the chosen department decides the rest.
        department = self.cleaned_form.cleaned_data["department"] if self.cleaned_form else None
        if department is None:
            return submission.status in Submission.OPEN_STATUSES
        return services.submission_can_assign(submission=submission, department=department)

    def perform(self, pks):
        department = self.cleaned_form.cleaned_data["department"]
        return services.submission_bulk_assign(pks=pks, department=department, user=self.request.user)

    def done_details(self):
        return {"department": self.cleaned_form.cleaned_data["department"].name}


class CloseBulkAction(MoveBulkAction):
    display_name = _("办结")
    action_type = "close"
    aria_label = _("办结所选来信")
    action_priority = 30
    status = Submission.Status.CLOSED
    intro = _("将以下 %(count)s 件已答复的来信标记为已办结。")
    skipped_intro = _("以下 %(count)s 件来信不是“已答复”状态,不能办结,将被跳过:")
    skipped_message = _("%(count)s 件来信不是“已答复”状态,不能办结,已跳过。")
    done = _("已办结 %(count)s 件来信。")
    button_text = _("确认办结")


class RejectForm(forms.Form):
    rejection_reason = forms.CharField(
        label=_("不予受理理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每件来信的来信人都将在办理进度中看到这一理由。"),
        error_messages={"required": _("不予受理时必须填写理由,来信人将看到这一理由。")},
    )


class RejectBulkAction(MoveBulkAction):
    display_name = _("不予受理")
    action_type = "reject"
    aria_label = _("对所选来信不予受理")
    action_priority = 40
    classes = {"serious"}
    status = Submission.Status.REJECTED
    form_class = RejectForm
    intro = _("对以下 %(count)s 件来信不予受理。")
    skipped_intro = _("以下 %(count)s 件来信不是“已收到”状态,不能改为不予受理,将被跳过:")
    skipped_message = _("%(count)s 件来信不是“已收到”状态,不能改为不予受理,已跳过。")
    done = _("已对 %(count)s 件来信不予受理。")
    button_text = _("确认不予受理")

    def perform(self, pks):
        return services.submission_bulk_move(
            pks=pks,
            status=self.status,
            user=self.request.user,
            rejection_reason=self.cleaned_form.cleaned_data["rejection_reason"],
        )


ACTIONS = [AcceptBulkAction, AssignBulkAction, CloseBulkAction, RejectBulkAction]
