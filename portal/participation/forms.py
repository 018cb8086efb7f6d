"""The public feedback form: explicit fields, plain-Chinese errors keyed by field, sanitized text."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django import forms
from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from portal.core import sanitize
from portal.core.inputs import WithoutControlsFormMixin
from portal.plan.models import DomainPage, TaskPage

from . import captcha
from .models import Submission

PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
MIN_CONTENT = 10
MIN_REPORT = 4  # "链接失效" says enough about a broken page
ANY_TASK = ("", _("(不限任务)"))


def task_label(number, title) -> str:
    return f"{number}. {title}"


def domain_choices():
    return [("", _("(不限领域)")), *DomainPage.objects.live().order_by("path").values_list("pk", "title")]


def task_choices():
    """Live tasks grouped under their domain or mechanism: (value, label) pairs, no page objects."""
    parent = Page.objects.filter(path=Left(OuterRef("path"), Length(OuterRef("path")) - 4)).values("title")[:1]
    tasks = TaskPage.objects.live().order_by("path").annotate(parent_title=Subquery(parent))
    groups = {}
    for pk, number, title, parent_title in tasks.values_list("pk", "number", "title", "parent_title"):
        groups.setdefault(parent_title or "", []).append((pk, task_label(number, title)))
    return [ANY_TASK, *groups.items()]


@dataclass
class Place:
    """Where an embedded form sits: a domain page (its tasks to choose from) or a task page."""

    domain: Page | None
    tasks: Sequence[Page] = ()
    task: Page | None = None

    def task_choices(self):
        return [(t.pk, task_label(t.number, t.title)) for t in self.tasks]


class CitizenFormMixin(WithoutControlsFormMixin, forms.Form):
    """What every form a citizen sends to the queue shares: the honeypot and the contact fields' checks."""

    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("请勿填写此项"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_contact_name(self):
        return sanitize.clean_line(self.cleaned_data.get("contact_name"), max_length=50)

    def clean_contact_phone(self):
        phone = sanitize.clean_line(self.cleaned_data.get("contact_phone"), max_length=30)
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("电话号码格式不正确,只能包含数字、空格和“-”,例如:0750-5565827。"))
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            # Shown as a form-wide message: the honeypot field itself is hidden from people.
            raise forms.ValidationError(_("提交未能通过检查,请刷新页面后重试。"))
        return cleaned


CONTACT_WIDGETS = {
    "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
    "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
}
CONTACT_ERRORS = {"contact_email": {"invalid": _("电子邮箱格式不正确,例如:name@example.com。")}}


class SubmissionForm(CitizenFormMixin, forms.ModelForm):
    class Meta:
        model = Submission
        fields = [
            "kind",
            "domain",
            "task",
            "title",
            "content",
            "publish_allowed",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        # maxlength comes from the model's max_length; autocomplete lets a phone fill in the contact details.
        widgets = {"kind": forms.RadioSelect, "content": forms.Textarea(attrs={"rows": 8}), **CONTACT_WIDGETS}
        labels = {"publish_allowed": _("同意在网站上公开我的来信和答复(不公开姓名和联系方式)")}
        error_messages = {
            "kind": {"required": _("请选择来信类型。")},
            "title": {"required": _("请填写标题。")},
            "content": {"required": _("请填写具体内容。")},
            **CONTACT_ERRORS,
        }

    def __init__(self, *args, consultation=None, place: Place | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        for i, question in enumerate(consultation.question_list() if consultation else [], start=1):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=question, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
            )
        # A consultation's questions are what it asks: they come first, before the letter and the contact fields.
        self.order_fields(["kind", "domain", "task", *(name for name in self.fields if name.startswith("answer_"))])
        self.fields["domain"].queryset = DomainPage.objects.live()
        self.fields["task"].queryset = TaskPage.objects.live()
        # The querysets above only validate what is posted. The choices shown are callables, run only
        # if the form is rendered (a valid submission never reads them); cached per form because a
        # Select reads its choices twice (for its required attribute, then for its options).
        self.fields["domain"].choices = cache(domain_choices)
        self.fields["task"].choices = cache(task_choices)
        self.fields["domain"].error_messages["invalid_choice"] = _("所选领域不存在,请重新选择。")
        self.fields["task"].error_messages["invalid_choice"] = _("所选任务不存在,请重新选择。")
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in Submission.LETTER_KINDS]
        if captcha.configured():
            self.fields["captcha"] = captcha.build_field("feedback")
        if place is not None:
            self.show_place(place)

    def preset(self, **values):
        """Fields the page already decides: sent as hidden inputs with these values, or left out when None."""
        for name, value in values.items():
            if value is None:
                del self.fields[name]
            else:
                self.fields[name].widget = forms.HiddenInput()
                self.initial[name] = value
        return self

    def show_place(self, place: Place) -> None:
        """The form on a domain or task page: its place preset, a domain's own tasks to choose from.

        Built from the pages the page already holds, so showing it costs no query.
        """
        self.preset(domain=place.domain.pk if place.domain else None)
        if place.task:
            self.preset(task=place.task.pk)
        elif place.tasks:
            self.fields["task"].choices = [ANY_TASK, *place.task_choices()]
        else:
            self.preset(task=None)

    def clean_title(self):
        title = sanitize.clean_line(self.cleaned_data.get("title"), max_length=100)
        if not title:
            raise forms.ValidationError(_("请填写标题。"))
        return title

    def clean_content(self):
        content = sanitize.clean_text(self.cleaned_data.get("content"), max_length=3000)
        if len(content) < MIN_CONTENT:
            raise forms.ValidationError(_("内容至少 %(n)s 个字,请说明具体情况。") % {"n": MIN_CONTENT})
        return content

    def clean(self):
        cleaned = super().clean()
        task, domain = cleaned.get("task"), cleaned.get("domain")
        if task and domain and not task.path.startswith(domain.path):
            self.add_error("task", _("所选任务不属于所选领域,请重新选择。"))
        if task and not domain:
            cleaned["domain"] = DomainPage.objects.filter(path=task.path[: len(task.path) - 4]).first()
        if cleaned.get("publish_allowed") is None:
            cleaned["publish_allowed"] = False
        return cleaned

    def submission_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        if self.consultation:
            questions = self.consultation.question_list()
            data["consultation"] = self.consultation
            data["answers"] = [
                {
                    "question": question,
                    "answer": sanitize.clean_text(self.cleaned_data.get(f"answer_{i}"), max_length=1000),
                }
                for i, question in enumerate(questions, start=1)
            ]
        return data


class SiteErrorForm(CitizenFormMixin, forms.ModelForm):
    """我为政府网站找错: the page, what is wrong with it, and (optionally) how to reach the reporter."""

    class Meta:
        model = Submission
        fields = ["page_url", "content", "contact_name", "contact_phone", "contact_email"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5}), **CONTACT_WIDGETS}
        labels = {"page_url": _("出错页面的网址"), "content": _("问题描述")}
        error_messages = {
            "page_url": {"required": _("请填写出错页面的网址。")},
            "content": {"required": _("请描述发现的问题。")},
            **CONTACT_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page_url"].required = True
        if captcha.configured():
            self.fields["captcha"] = captcha.build_field("feedback")

    def clean_page_url(self):
        page_url = sanitize.clean_line(self.cleaned_data.get("page_url"), max_length=500)
        if not page_url:
            raise forms.ValidationError(_("请填写出错页面的网址。"))
        return page_url

    def clean_content(self):
        content = sanitize.clean_text(self.cleaned_data.get("content"), max_length=3000)
        if len(content) < MIN_REPORT:
            raise forms.ValidationError(_("问题描述至少 %(n)s 个字。") % {"n": MIN_REPORT})
        return content

    def submission_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        # The queue lists letters by title: the report's is the page it concerns, by its path when it is ours
        # (short enough for a receipt on a phone).
        page = (
            data["page_url"].removeprefix(settings.SITE_URL)
            if data["page_url"].startswith(settings.SITE_URL + "/")
            else data["page_url"]
        )
        title = _("网站找错:%(url)s") % {"url": page}
        return {**data, "kind": Submission.Kind.SITE_ERROR, "title": title[:100]}


class TrackForm(WithoutControlsFormMixin, forms.Form):
    """受理编号 and 查询码; the answer mail links here with the number filled in, never the code."""

    number = forms.CharField(label=_("受理编号"), max_length=20, error_messages={"required": _("请填写受理编号。")})
    code = forms.CharField(label=_("查询码"), max_length=20, error_messages={"required": _("请填写查询码。")})


class SatisfactionForm(WithoutControlsFormMixin, forms.Form):
    domain = forms.ModelChoiceField(
        queryset=DomainPage.objects.none(),
        label=_("评价领域"),
        empty_label=None,
        error_messages={"required": _("请选择领域。"), "invalid_choice": _("所选领域不存在,请重新选择。")},
    )
    score = forms.TypedChoiceField(
        label=_("满意度(1 分最低,5 分最高)"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择 1 到 5 分。"), "invalid_choice": _("请选择 1 到 5 分。")},
    )
    comment = forms.CharField(
        label=_("意见(选填)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = DomainPage.objects.live().order_by("path")
        if captcha.configured():
            self.fields["captcha"] = captcha.build_field("satisfaction")

    def clean_comment(self):
        return sanitize.clean_text(self.cleaned_data.get("comment"), max_length=500)
