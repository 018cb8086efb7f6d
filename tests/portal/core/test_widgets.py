"""QuickSelect writes what Django's Select writes, without the template engine."""

import re

import pytest

from django import forms

from portal.core.widgets import QuickSelect

CHOICES = [
    ("", "(不限)"),
    ("公共教育", [(1, "1. 学前教育"), (2, '2. <script>alert("x")</script>')]),
    (3, "单独一项 & 其他"),
]
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*(?:&lt;[^<]*)*)</option>')
GROUP = re.compile(r'<optgroup label="([^"]*)">')


def rendered(widget_class, value, attrs=None):
    widget = widget_class(choices=CHOICES, attrs=attrs)
    return widget.render("task", value, attrs={"id": "id_task"})


@pytest.mark.parametrize("value", ["", 2, "3", None])
def test_same_options_groups_and_selection_as_djangos_select(value):
    ours, django_s = rendered(QuickSelect, value), rendered(forms.Select, value)
    assert OPTION.findall(ours) == OPTION.findall(django_s)
    assert GROUP.findall(ours) == GROUP.findall(django_s)
    assert ours.startswith('<select name="task"') and 'id="id_task"' in ours


def test_labels_are_escaped_and_boolean_attributes_written_as_django_does():
    html = rendered(QuickSelect, 2, attrs={"required": True, "disabled": False, "data-x": 'a"b'})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert " required" in html and "disabled" not in html and 'data-x="a&quot;b"' in html
    assert '<option value="2" selected>' in html


@pytest.mark.parametrize(
    ("quick", "django_widget"),
    [
        ("QuickTextInput", forms.TextInput),
        ("QuickEmailInput", forms.EmailInput),
        ("QuickCheckboxInput", forms.CheckboxInput),
        ("QuickTextarea", forms.Textarea),
    ],
)
@pytest.mark.parametrize("value", [None, "", '台城街道 <b>"学位"</b> & 收费', True, False])
def test_inputs_write_what_djangos_templates_write(quick, django_widget, value):
    from portal.core import widgets

    attrs = {"maxlength": 100, "required": True, "id": "id_x"}
    ours = getattr(widgets, quick)(attrs=attrs).render("x", value)
    theirs = django_widget(attrs=attrs).render("x", value)
    assert normalized(ours) == normalized(theirs)


def normalized(html: str) -> list:
    """Tag name, sorted attributes and text: attribute order and whitespace between tags do not matter."""
    from html.parser import HTMLParser

    parts = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            parts.append((tag, sorted(attrs, key=lambda a: a[0])))

        def handle_data(self, data):
            parts.append(data)

    Parser(convert_charrefs=True).feed(html)
    return parts
