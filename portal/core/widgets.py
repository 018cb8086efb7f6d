"""Form widgets written in Python: the public feedback form is the site's busiest form page, and
Django renders each widget (and each <option>) through its template engine."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written in Python, with the markup and selection rules of Django's Select.

    Django renders every <option> through a template include; with the plan's 77 tasks that was
    the feedback form's largest single cost. Selection, optgroups and attributes still come from
    Select.get_context(): only the writing-out differs. flatatt drops False attributes and writes
    True ones bare, as Django's attrs.html does.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option["value"]), flatatt(option["attrs"]), option["label"]) for option in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        # Every part was built by format_html, which escaped each value.
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe("".join(parts))
        )


class QuickInputMixin:
    """An <input> written in Python, as django/forms/widgets/input.html writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, flatatt(widget["attrs"])
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickEmailInput(QuickInputMixin, forms.EmailInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


class QuickTextarea(forms.Textarea):
    """A <textarea> written in Python, as django/forms/widgets/textarea.html writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', widget["name"], flatatt(widget["attrs"]), widget["value"] or ""
        )
