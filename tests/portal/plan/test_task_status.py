"""Statuses that agree with the targets and the timeline, and say what they mean and how recent they are."""

import datetime
import re

import pytest

from django.test import Client

from portal.plan.models import DomainPage, Phase, Plan
from tests.factories import DomainPageFactory, IndicatorPageFactory, MeasurementFactory, TaskPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def read(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def during_the_plan():
    """The timeline moved so that its last phase has not ended yet (today is inside the plan's period)."""
    Phase.objects.filter(plan=Plan.current()).update(end_date=datetime.date.today() + datetime.timedelta(days=365))


def status_of(html: str, task) -> str:
    """The status badge printed beside the task on its domain page."""
    row = html[html.index(f'id="task-{task.number}"') :]
    return re.search(r'<span class="badge badge-([a-z_]+)">([^<]+)</span>', row).group(2)


@pytest.fixture
def domain(home):
    """One task per case: all met, some behind, no data, no target, and a task an editor assessed."""
    domain = DomainPageFactory(parent=home, slug="status-test", number=99)
    tasks = {name: TaskPageFactory(parent=domain, slug=name, number=i + 1) for i, name in enumerate(CASES)}
    for value in (95, 97):  # both ≥ 90: met
        MeasurementFactory(indicator=IndicatorPageFactory(parent=tasks["met"], target=90), value=value)
    MeasurementFactory(indicator=IndicatorPageFactory(parent=tasks["behind"], target=90), value=95)
    MeasurementFactory(indicator=IndicatorPageFactory(parent=tasks["behind"], target=90), value=60)
    IndicatorPageFactory(parent=tasks["no_data"], target=90)
    assessed = tasks["assessed"]
    IndicatorPageFactory(parent=assessed, target=90)  # no data, but the editor's judgement stands
    assessed.assessment, assessed.assessed_on, assessed.progress_note = "met", datetime.date(2015, 12, 20), "已验收。"
    assessed.save_revision().publish()
    return domain, tasks


CASES = ["met", "behind", "no_data", "no_target", "assessed"]


def test_task_statuses_come_from_targets_or_the_assessment_and_end_in_a_verdict(reader, domain):
    domain, tasks = domain
    assert Plan.current().ended()  # the plan's last phase ended on 2015-12-31
    html = read(reader, domain.url)
    assert {name: status_of(html, task) for name, task in tasks.items()} == {
        "met": "已完成",
        "behind": "未完成",
        "no_data": "无数据",
        "no_target": "无数据",
        "assessed": "已完成",
    }
    assert "编辑评估(2015-12-20)" in html
    task_html = read(reader, tasks["assessed"].url)
    assert "已验收。" in task_html and "编辑评估(2015-12-20)" in task_html
    assert "数据更新于 <time" in task_html


def test_during_the_plan_statuses_say_how_it_is_going(reader, domain, during_the_plan):
    domain, tasks = domain
    html = read(reader, domain.url)
    assert status_of(html, tasks["met"]) == "已达标" and status_of(html, tasks["behind"]) == "滞后"
    assert status_of(html, tasks["no_target"]) == "暂无数据"
    assert "按计划推进" in html  # in the legend, which names every status of the period


def test_no_task_of_the_plan_shows_a_constant_and_none_is_on_track_after_it(reader):
    statuses = set()
    for domain in DomainPage.objects.live():
        html = read(reader, domain.url)
        assert "推进中" not in html and "badge-on_track" not in html
        statuses |= set(re.findall(r'<span class="badge badge-([a-z_]+)">', html))
    assert statuses <= {"met", "behind", "no_data", "sample"} and {"met", "no_data"} <= statuses


@pytest.mark.parametrize("url", ["/", "/education/"])
def test_home_and_domain_explain_each_status_and_say_when_data_was_updated(reader, url):
    html = read(reader, url)
    legend = html[html.index('class="status-legend"') :]
    for label in ("已完成", "未完成", "无数据"):
        assert f">{label}</span></dt><dd>" in legend
    # The sample measurements' latest date: 2015-12-31.
    assert re.search(r"数据更新于 <time datetime=\"(\d{4}-\d{2}-\d{2})\">\1</time>", html)
    assert '数据更新于 <time datetime="2015-12-31">' in html


def test_a_domain_without_numeric_targets_says_so(reader):
    housing = DomainPage.objects.get(title="住房保障")
    html = read(reader, housing.url)
    assert "本领域的任务没有量化目标" in html and 'class="status-counts"' not in html
    home = read(reader, "/")
    tile = home[home.index(f'<span class="num">{housing.number}</span>住房保障') :]
    tile = tile[: tile.index("</li>")]
    assert "本领域没有量化目标" in tile and "0 项目标" not in tile and "status-counts" not in tile


def test_an_editors_assessment_purges_the_task_its_domain_and_home(reader, domain, django_capture_on_commit_callbacks):
    domain, tasks = domain
    task = tasks["no_target"]
    for url in (task.url, domain.url, "/"):
        assert reader.get(url)["X-Page-Cache"] == "miss"
        assert reader.get(url)["X-Page-Cache"] == "hit"
    task.assessment, task.assessed_on = "behind", datetime.date(2015, 11, 30)
    with django_capture_on_commit_callbacks(execute=True):
        task.save_revision().publish()
    for url in (task.url, domain.url, "/"):
        assert reader.get(url)["X-Page-Cache"] == "miss", url
    assert status_of(read(reader, domain.url), task) == "未完成"
