"""Loading validated plan data into the database, idempotently.

Pages are matched by slug under their parent, departments by key, the document by its number.
A page whose fields already match the data is left alone (no revision, no publish), so a second
run changes nothing. Pages staff added that the file does not mention are never touched.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import yaml

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from portal.plan.models import (
    Department,
    DomainPage,
    HomePage,
    IndicatorPage,
    Measurement,
    MechanismIndexPage,
    MechanismPage,
    Phase,
    Plan,
    Responsibility,
    Role,
    SourceDocument,
    TaskPage,
    refreshed_once,
)

from .schema import PlanDataError, validate_plan, validate_samples

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ROLE_KEYS = {"lead": Role.LEAD, "responsible": Role.RESPONSIBLE, "partners": Role.PARTNER}


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: int = 0

    def count(self, bucket: dict, label: str):
        bucket[label] = bucket.get(label, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def fmt(bucket):
            return "、".join(f"{k} {v}" for k, v in sorted(bucket.items())) or "无"

        return f"新建:{fmt(self.created)};更新:{fmt(self.updated)};未变:{self.unchanged}"


def read_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise PlanDataError(str(path), None, "文件不存在") from None
    except yaml.YAMLError as error:
        raise PlanDataError(str(path), None, f"YAML 格式错误:{error}") from None


class _Loader:
    def __init__(self, report: LoadReport):
        self.report = report
        self.departments: dict[str, Department] = {}

    # -- plain models ---------------------------------------------------------------------------
    def upsert(self, model, lookup: dict, values: dict, label: str):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.report.count(self.report.created, label)
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.full_clean()
            obj.save()
            self.report.count(self.report.updated, label)
        else:
            self.report.unchanged += 1
        return obj

    # -- pages ----------------------------------------------------------------------------------
    def page(self, parent: Page, model, slug: str, values: dict, roles: list | None, label: str):
        """Create or update one child page; publish a revision only when something changed."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None and Page.objects.child_of(parent).filter(slug=slug).exists():
            raise PlanDataError(label, "slug", f"“{parent.title}”下已有网址为 {slug} 的其他类型页面")
        wanted_roles = sorted((self.departments[k].pk, role) for k, role in (roles or []))
        if page is None:
            page = model(slug=slug, **values)
            if roles is not None:
                page.responsibilities = self._responsibilities(roles)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.report.count(self.report.created, label)
            return page
        current_roles = sorted(page.responsibilities.values_list("department_id", "role"))
        fields_changed = any(getattr(page, k) != v for k, v in values.items())
        roles_changed = roles is not None and current_roles != wanted_roles
        if fields_changed or roles_changed:
            for k, v in values.items():
                setattr(page, k, v)
            if roles_changed:
                page.responsibilities = self._responsibilities(roles)
            page.save_revision().publish()
            self.report.count(self.report.updated, label)
        else:
            self.report.unchanged += 1
        return page

    def page_once(self, parent: Page, model, slug: str, values: dict, label: str):
        """A page the file does not describe (the site's own pages): created with `values` if missing, then
        left to staff, whose edits a later load never overwrites."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is not None:
            self.report.unchanged += 1
            return page
        if Page.objects.child_of(parent).filter(slug=slug).exists():
            raise PlanDataError(label, "slug", f"“{parent.title}”下已有网址为 {slug} 的其他类型页面")
        page = model(slug=slug, **values)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.report.count(self.report.created, label)
        return page

    def _responsibilities(self, roles):
        return [
            Responsibility(department=self.departments[k], role=role, sort_order=i) for i, (k, role) in enumerate(roles)
        ]

    @staticmethod
    def roles_of(entry: dict) -> list:
        return [(k, ROLE_KEYS[name]) for name in ("lead", "responsible", "partners") for k in entry.get(name, [])]

    def home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is not None:
            return home
        # The tree's root and default locale come from Wagtail's migrations; a database emptied
        # since (a flush) has neither.
        if not Locale.objects.exists():
            Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        # Wagtail's first migration leaves a placeholder "Welcome" page at slug "home"; ours replaces it.
        for placeholder in Page.objects.child_of(root).filter(slug="home"):
            if placeholder.specific_class is Page:
                placeholder.delete()
        home = HomePage(title="台山市基本公共服务均等化", slug="home", intro="")
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        # The admin heads its dashboard and explorer with the site's name, else its host name (localhost, or the
        # public host): staff read the portal's name instead.
        if site is None:
            name = settings.WAGTAIL_SITE_NAME
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=name)
        else:
            site.root_page = home
            site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
            site.save()
        self.report.count(self.report.created, "首页")
        return home

    def indicator_values(self, data: dict) -> dict:
        repair = data["repair"] or {}
        return {
            "title": data["name"],
            "code": data["code"],
            "unit": data["unit"],
            "comparator": data["comparator"],
            "target": data["target"],
            "target_max": data["target_max"],
            "target_year": data["target_year"],
            "baseline": data["baseline"],
            "baseline_year": data["baseline_year"],
            "reference": data["reference"],
            "reference_value": data["reference_value"],
            "better": data["better"],
            "quote": data["quote"],
            "repair_original": repair.get("original", ""),
            "repair_note": repair.get("note", ""),
        }

    def indicators(self, parent, items):
        for item in items:
            self.page(parent, IndicatorPage, item["code"], self.indicator_values(item), None, "指标")

    def tasks(self, parent, items, slug_prefix: str):
        for item in items:
            values = {"title": item["title"], "number": item["number"], "text": item["text"]}
            roles = self.roles_of(item)
            task = self.page(parent, TaskPage, f"{slug_prefix}-{item['number']}", values, roles, "任务")
            self.indicators(task, item["indicators"])


def _load(data: dict, base_dir: Path, report: LoadReport):
    loader = _Loader(report)
    for item in data["departments"]:
        loader.departments[item["key"]] = loader.upsert(
            Department, {"key": item["key"]}, {"name": item["name"], "kind": item["kind"]}, "部门"
        )
    doc = data["document"]
    text_path = base_dir / doc["text_file"]
    if not text_path.exists():
        raise PlanDataError("document", "text_file", f"找不到全文文件 {text_path}")
    tz = timezone.get_default_timezone()
    document = loader.upsert(
        SourceDocument,
        {"number": doc["number"]},
        {
            "title": doc["title"],
            "issuer": doc["issuer"],
            "publisher": doc["publisher"],
            "issued_on": doc["issued_on"],
            "published_at": timezone.make_aware(doc["published_at"], tz),
            "disclosure": doc["disclosure"],
            "adopted_by": doc["adopted_by"],
            "full_text": text_path.read_text(encoding="utf-8").strip(),
            "repairs": [{k: v for k, v in r.items() if v} for r in doc["repairs"]],
        },
        "文件",
    )
    plan_values = {k: v for k, v in data["plan"].items() if k != "title"}
    plan = loader.upsert(Plan, {"title": data["plan"]["title"]}, {**plan_values, "document": document}, "方案")
    for phase in data["phases"]:
        values = {k: phase[k] for k in ("title", "start_date", "end_date", "description")}
        loader.upsert(Phase, {"plan": plan, "number": phase["number"]}, values, "阶段")

    home = loader.home()
    for domain in data["domains"]:
        values = {
            "title": domain["title"],
            "number": domain["number"],
            "goal": domain["goal"],
            "show_in_menus": True,
        }
        page = loader.page(home, DomainPage, domain["key"], values, loader.roles_of(domain), "领域")
        loader.indicators(page, domain["indicators"])
        loader.tasks(page, domain["tasks"], "task")

    index = loader.page(home, MechanismIndexPage, "mechanisms", {"title": "体制机制创新"}, None, "机制栏目")
    for mechanism in data["mechanisms"]:
        values = {"title": mechanism["title"], "number": mechanism["number"], "text": mechanism["text"]}
        page = loader.page(index, MechanismPage, mechanism["key"], values, loader.roles_of(mechanism), "机制")
        loader.tasks(page, mechanism["items"], "item")

    # The home page's other sections belong to apps built on the plan: named by label, as
    # HomePage.subpage_types names them, so that the plan does not import them back.
    index_page = apps.get_model("updates", "UpdateIndexPage")
    loader.page(home, index_page, "updates", {"title": "工作进展"}, None, "进展栏目")
    index_page = apps.get_model("participation", "ConsultationIndexPage")
    loader.page(home, index_page, "consultations", {"title": "意见征集"}, None, "征集栏目")
    # The site's own pages (联系我们, 隐私声明, 网站声明): created once with their default text, then the office's.
    for name in ("ContactPage", "PrivacyPage", "StatementPage"):
        model = apps.get_model("about", name)
        loader.page_once(home, model, model.DEFAULT_SLUG, model.default_values(), "本站页面")


def load_plan(path: Path | None = None) -> LoadReport:
    """Validate the whole file first, then load it in one transaction: all or nothing."""
    path = Path(path or DATA_DIR / "plan.yaml")
    data = validate_plan(read_yaml(path))
    report = LoadReport()
    try:
        with transaction.atomic():
            _load(data, path.parent, report)
    except ValidationError as error:
        raise PlanDataError(str(path), None, "; ".join(error.messages)) from error
    return report


def _load_sample_updates(items, report: LoadReport):
    # Named by label, as in _load: the updates app builds on the plan.
    UpdateIndexPage = apps.get_model("updates", "UpdateIndexPage")
    UpdatePage = apps.get_model("updates", "UpdatePage")

    index = UpdateIndexPage.objects.first()
    if index is None:
        raise PlanDataError("updates", None, "请先导入方案(缺少“工作进展”栏目)")
    domains = {d.slug: d for d in DomainPage.objects.child_of(index.get_parent())}
    tz = timezone.get_default_timezone()
    for item in items:
        if UpdatePage.objects.child_of(index).filter(slug=item["slug"]).exists():
            report.unchanged += 1
            continue
        missing = [k for k in item["domains"] if k not in domains]
        if missing:
            raise PlanDataError(f"updates({item['slug']})", "domains", f"没有这些领域:{'、'.join(missing)}")
        page = UpdatePage(
            slug=item["slug"],
            title=item["title"],
            date=timezone.make_aware(item["published_at"], tz),
            summary=item["summary"],
            body=[("paragraph", RichText(paragraphs([p]))) for p in item["paragraphs"]],
            is_sample=True,
        )
        page.domains = [domains[k] for k in item["domains"]]
        index.add_child(instance=page)
        page.save_revision().publish()
        report.count(report.created, "示例进展")


def paragraphs(items) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in items)


def _load_sample_consultations(items, report: LoadReport):
    """One open consultation and one closed with its outcome, so the 意见征集 links lead somewhere; made once."""
    ConsultationIndexPage = apps.get_model("participation", "ConsultationIndexPage")
    ConsultationPage = apps.get_model("participation", "ConsultationPage")

    index = ConsultationIndexPage.objects.first()
    if index is None:
        raise PlanDataError("consultations", None, "请先导入方案(缺少“意见征集”栏目)")
    domains = {d.slug: d for d in DomainPage.objects.child_of(index.get_parent())}
    now = timezone.now()
    for item in items:
        if ConsultationPage.objects.child_of(index).filter(slug=item["slug"]).exists():
            report.unchanged += 1
            continue
        if item["domain"] and item["domain"] not in domains:
            raise PlanDataError(f"consultations({item['slug']})", "domain", f"没有这个领域:{item['domain']}")
        page = ConsultationPage(
            slug=item["slug"],
            title=item["title"],
            domain=domains.get(item["domain"]),
            summary=item["summary"],
            background=paragraphs(item["background"]),
            questions=[("question", question) for question in item["questions"]],
            opens_at=now + timedelta(days=item["opens_in_days"]),
            closes_at=now + timedelta(days=item["closes_in_days"]),
            outcome=paragraphs(item["outcome"]),
            # Nobody took part in a sample: no outcome mail to send.
            outcome_notified_at=now if item["outcome"] else None,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        report.count(report.created, "示例意见征集")


def load_samples(path: Path | None = None) -> LoadReport:
    """Sample measurements for development; every page that shows one labels it 示例数据."""
    path = Path(path or DATA_DIR / "sample_measurements.yaml")
    samples = validate_samples(read_yaml(path))
    report = LoadReport()
    indicators = {i.code: i for i in IndicatorPage.objects.all()}
    # One refresh of the indicators' readings at the end rather than one per measurement.
    with transaction.atomic(), refreshed_once():
        _load_sample_updates(samples["updates"], report)
        _load_sample_consultations(samples["consultations"], report)
        for i, item in enumerate(samples["measurements"]):
            where = f"measurements[{i}]({item['indicator']} {item['date']})"
            indicator = indicators.get(item["indicator"])
            if indicator is None:
                raise PlanDataError(where, "indicator", "没有这个指标编号")
            existing = Measurement.objects.filter(indicator=indicator, date=item["date"], is_sample=True).first()
            values = {"value": item["value"], "source": item["source"], "note": item["note"]}
            if existing and all(getattr(existing, k) == v for k, v in values.items()):
                report.unchanged += 1
                continue
            measurement = existing or Measurement(indicator=indicator, date=item["date"], is_sample=True, live=True)
            for k, v in values.items():
                setattr(measurement, k, v)
            try:
                measurement.full_clean()
            except ValidationError as error:
                field_name, messages = next(iter(error.message_dict.items()))
                raise PlanDataError(where, field_name, ";".join(messages)) from None
            measurement.save()
            report.count(report.updated if existing else report.created, "示例数据")
    return report
