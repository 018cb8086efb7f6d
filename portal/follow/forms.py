"""The 关注 form: only an email address (and the honeypot every citizens' form has)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.inputs import WithoutControlsFormMixin


class FollowForm(WithoutControlsFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        error_messages={
            "required": _("请填写电子邮箱。"),
            "invalid": _("电子邮箱格式不正确,例如:name@example.com。"),
            "max_length": _("电子邮箱太长了。"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("请勿填写此项"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("提交未能通过检查,请刷新页面后重试。"))
        return cleaned
