"""The moderator's screens for one submission: the citizen's letter, read-only, above what their role may change.

What a role may change comes from services (the table of status steps, FIELD_PERMISSIONS): the form
offers only that, and services.submission_moderate checks it again on the server.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.views.generic.models import EditView, InspectView
from wagtail.log_actions import registry as log_registry

from . import services
from .models import ReplyTemplate, Submission

Status = Submission.Status


class ModerationForm(WagtailAdminModelForm):
    reply_template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.all(),
        required=False,
        label=_("使用答复模板"),
        help_text=_("答复为空时,用所选模板填入答复;请核对后再送审或标记为已答复。"),
    )
    return_note = forms.CharField(
        required=False,
        label=_("退回意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回起草人修改时必填;起草人在编辑页和历史记录中看到这一意见,来信人看不到。"),
    )

    class Meta:
        model = Submission
        fields = [
            "status", "return_note", "department", "reply_template", "answer", "rejection_reason", "is_public",
            "quarantined",
        ]  # fmt: skip
        # Wagtail leaves these out of the form for a user without the permission: absent, not just hidden,
        # so a crafted POST cannot set them either.
        field_permissions = services.FIELD_PERMISSIONS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        submission, user = self.instance, self.for_user
        labels = dict(Status.choices)
        allowed = services.submission_statuses(submission=submission, user=user)
        # A status outside these choices is refused by the field itself ("not one of the available choices").
        self.fields["status"].choices = [(status, labels[status]) for status in allowed]
        if not services.submission_may_edit_answer(submission=submission, user=user):
            self.fields["answer"].disabled = True  # Django keeps the stored value, whatever is posted
            del self.fields["reply_template"]
        if submission.status != Status.REVIEW or Status.ACCEPTED not in allowed:
            del self.fields["return_note"]
        self.filled_from_template = False

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("reply_template")
        if template and not (cleaned.get("answer") or "").strip():
            cleaned["answer"] = template.body
            self.instance.answer = template.body
            self.filled_from_template = True
        status = cleaned.get("status")
        if status == Status.REJECTED and not (cleaned.get("rejection_reason") or "").strip():
            self.add_error("rejection_reason", _("不予受理时必须填写理由,来信人将看到这一理由。"))
        if status in (Status.REVIEW, *Submission.ANSWERED_STATUSES) and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("送审或标记为已答复前请填写答复内容。"))
        # self.instance still holds the stored values here: the form copies its data onto it after clean().
        returned = self.instance.status == Status.REVIEW and status == Status.ACCEPTED
        if returned and not (cleaned.get("return_note") or "").strip():
            self.add_error("return_note", _("退回修改时请写明退回意见。"))
        if cleaned.get("is_public") and not self.instance.is_public and not self.instance.publish_allowed:
            self.add_error("is_public", _("来信人没有同意公开,不能公开这件来信。"))
        return cleaned

    def changes(self) -> dict:
        """What the moderator changed, field → new value, for services.submission_moderate."""
        changed = set(self.changed_data) | ({"answer"} if self.filled_from_template else set())
        return {name: self.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in changed}


def letter_context(submission: Submission, user) -> dict:
    """What the letter's template needs: the submission as stored, who may see contacts, the last return note."""
    letter = Submission.objects.select_related(
        "domain", "task", "consultation", "department", "answer_submitted_by"
    ).get(pk=submission.pk)
    # What the approver asked the drafter to change, shown until the draft is submitted again.
    last_review = (
        log_registry.get_logs_for_instance(letter)
        .filter(action__in=["participation.submit", "participation.return", "participation.approve"])
        .first()
    )
    returned = last_review is not None and last_review.action == "participation.return"
    return {
        "letter": letter,
        "can_view_personal_data": user.has_perm("participation.view_personal_data"),
        "return_note": (last_review.data or {}).get("comment", "") if returned else "",
    }


class SubmissionEditView(EditView):
    template_name = "participation/admin/submission_edit.html"

    def save_instance(self):
        return services.submission_moderate(
            pk=self.object.pk,
            changes=self.form.changes(),
            user=self.request.user,
            note=self.form.cleaned_data.get("return_note", ""),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(letter_context(self.object, self.request.user))
        return context


class SubmissionInspectView(InspectView):
    template_name = "participation/admin/submission_inspect.html"

    def get_fields_context(self):
        # The template shows the letter and its handling itself, in Chinese (no "None"), as the edit screen does.
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(letter_context(self.object, self.request.user))
        return context
