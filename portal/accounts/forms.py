"""The one field of both steps: a code from the authenticator, or a recovery code on the code page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["code"].help_text = _("输入身份验证器上的 6 位数字;手机不在身边时,可输入一个恢复码。")
        else:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
            self.fields["code"].help_text = _("输入身份验证器上当前显示的 6 位数字。")

    def clean_code(self):
        # Authenticators show "123 456"; recovery codes are printed in lower case but may be typed in upper.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
