"""The plan importer: counts, repaired values, idempotency, and refusal of bad files."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from django.core.management import CommandError, call_command

from portal.plan.importer import DATA_DIR, PlanDataError, load_plan
from portal.plan.models import Department, DomainPage, IndicatorPage, MechanismPage, Phase, SourceDocument, TaskPage

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_96f035676fbe004e.txt"

pytestmark = pytest.mark.django_db


def plan_data():
    return yaml.safe_load((DATA_DIR / "plan.yaml").read_text(encoding="utf-8"))


def write(tmp_path, data):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "source_text.txt").write_text((DATA_DIR / "source_text.txt").read_text(encoding="utf-8"))
    return path


def test_whole_plan_is_loaded():
    assert DomainPage.objects.live().count() == 10
    assert MechanismPage.objects.live().count() == 6
    assert Phase.objects.count() == 4
    assert IndicatorPage.objects.live().count() >= 80
    assert TaskPage.objects.live().count() >= 60
    assert SourceDocument.objects.get().number == "台府〔2014〕32号"
    assert list(DomainPage.objects.order_by("path").values_list("title", flat=True)) == [
        "公共教育", "公共卫生", "公共文化体育", "公共交通", "公共安全",
        "生活保障", "住房保障", "就业保障", "医疗保障", "生态环保",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "unit"),
    [
        ("人均期望寿命", "76.8", "岁"),
        ("孕产妇死亡率", "15", "/10万"),
        ("城镇登记失业率", "3.2", "%"),
        ("城市森林覆盖率", "51.5", "%"),
        ("初中生年辍学率", "1.2", "%"),
        ("人均体育场地面积", "2.2", "平方米"),
    ],
)
def test_damaged_numbers_are_repaired_and_recorded(name, value, unit):
    indicator = IndicatorPage.objects.get(title__contains=name)
    assert indicator.target == Decimal(value)
    assert indicator.unit == unit
    assert indicator.repair_original and indicator.repair_note
    assert indicator.repair_original in indicator.quote


def test_every_quote_comes_from_the_source_text():
    if not SEED.exists():
        pytest.skip("shared seed not beside the checkout")
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    for quote in IndicatorPage.objects.values_list("quote", flat=True):
        assert re.sub(r"\s+", "", quote) in seed


def test_a_second_load_changes_nothing():
    report = load_plan()
    assert not report.changed, report.summary()
    assert report.unchanged > 200


def test_an_edit_in_the_file_updates_only_that_page(tmp_path):
    data = plan_data()
    data["domains"][0]["tasks"][0]["indicators"][0]["name"] = "学前三年毛入园率(修订)"
    report = load_plan(write(tmp_path, data))
    assert report.updated == {"指标": 1}
    assert IndicatorPage.objects.get(code=data["domains"][0]["tasks"][0]["indicators"][0]["code"]).title.endswith(
        "(修订)"
    )


@pytest.mark.parametrize(
    ("mutate", "where", "field"),
    [
        (
            lambda d: d["domains"][1]["tasks"][0].update(
                indicators=[{**d["domains"][0]["tasks"][0]["indicators"][0], "target": "九十六"}]
            ),
            "health",
            "target",
        ),
        (lambda d: d["domains"][0].update(lead=["no-such-unit"]), "education", "lead"),
        (lambda d: d["domains"][0]["tasks"][0]["indicators"][0].update(comparator="≈"), "edu-01", "comparator"),
        (lambda d: d["domains"][0]["tasks"][0]["indicators"][0].update(colour="red"), "edu-01", "colour"),
        (lambda d: d["phases"][0].update(start_date="2014-13-01"), "phases", "start_date"),
        (lambda d: d["domains"][0]["tasks"][0]["indicators"][0].update(target=140), "edu-01", "target"),
    ],
)
def test_bad_files_are_refused_naming_entry_and_field(tmp_path, mutate, where, field):
    data = plan_data()
    mutate(data)
    with pytest.raises(PlanDataError) as error:
        load_plan(write(tmp_path, data))
    assert where in str(error.value)
    assert field in str(error.value)


def test_a_failure_half_way_loads_nothing(tmp_path):
    data = plan_data()
    # Valid as a file, refused by the database half-way: a new department reusing a name.
    data["departments"].append({"key": "edu-copy", "name": data["departments"][0]["name"], "kind": "municipal"})
    data["domains"][0]["title"] = "公共教育(不应写入)"
    departments = Department.objects.count()
    with pytest.raises(PlanDataError):
        load_plan(write(tmp_path, data))
    assert Department.objects.count() == departments
    assert DomainPage.objects.filter(title="公共教育(不应写入)").count() == 0


def test_command_reports_errors_in_plain_words(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("domains: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("load_plan", "--file", str(path))


def test_sample_data_is_refused_in_production(settings):
    settings.PORTAL_ALLOW_SAMPLE_DATA = False
    with pytest.raises(CommandError, match="禁止导入示例数据"):
        call_command("load_plan", "--sample")
