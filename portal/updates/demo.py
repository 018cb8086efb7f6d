"""Demo progress updates for development (`manage.py load_demo_corpus`): what they say, not how they are stored.

Each demo update belongs to one domain and one or more of its tasks, and reads like the progress
reports the portal will publish: its title names a town, a task or an indicator of that domain, and
its summary and body quote and paraphrase that domain's own plan sentences (task texts and indicator
quotes as loaded from the plan) with the phrases such reports use (开展, 完成, 督查, 各镇…). Update
number n is composed from the seed and n alone, so the same number always reads the same, whichever
run created it. Writing them is services.demo_updates_create's business.
"""

import datetime
import random
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.html import escape

from portal.plan.models.indicator import DEFAULT_BOUNDS, UNIT_BOUNDS
from portal.plan.status import Better, Comparator

DEMO_SEED = 20140911  # the plan's date
SLUG_PREFIX = "demo-"
SLUG_DIGITS = 5
# Demo updates are dated from the plan's publication to a year after its end.
FIRST_DAY = datetime.date(2014, 9, 11)
LAST_DAY = datetime.date(2016, 12, 31)
PLAN_NAME = "《台山市全面深化基本公共服务均等化综合改革试点方案(2014-2015年)》(台府〔2014〕32号)"

# Taishan's sub-district and sixteen towns.
TOWNS = (
    "台城街道",
    "大江镇",
    "水步镇",
    "四九镇",
    "白沙镇",
    "三合镇",
    "冲蒌镇",
    "斗山镇",
    "都斛镇",
    "赤溪镇",
    "端芬镇",
    "广海镇",
    "海宴镇",
    "汶村镇",
    "深井镇",
    "北陡镇",
    "川岛镇",
)
OFFICE = "市试点工作领导小组办公室"
INSPECTORS = "市试点工作督查组"
# Words that open a task title (基本建立普惠性学前教育体系): cut off, they leave the work itself.
TITLE_VERBS = (
    *("基本建立", "建立健全", "建立和完善", "建立完善", "初步形成", "统筹推进", "全面推行", "进一步", "全面"),
    *("推进", "推行", "促进", "加快", "加强", "加大", "健全", "完善", "建立", "开展", "探索建立", "探索"),
)
# Measured in whole units: no decimals in a reported value.
WHOLE_UNITS = {"个", "人", "名", "张", "场/月", "次/季", "个/半年"}
# The plan writes ASCII commas and semicolons (and 10,800 for ten thousand eight hundred).
SENTENCE_END = re.compile(r"(?<=[\u3002;!?\uff1b\uff01\uff1f])")
CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d)|[;\u3002\uff0c\uff1b]")
LEADING_YEAR = re.compile(r"^(到)?(20\d\d)年(底|前)?[,\uff0c]?")


@dataclass(frozen=True)
class IndicatorText:
    pk: int
    name: str
    unit: str
    comparator: str
    better: str
    target: Decimal
    target_max: Decimal | None
    target_year: int
    target_display: str
    quote: str


@dataclass(frozen=True)
class TaskText:
    pk: int
    number: int
    title: str
    text: str
    indicators: tuple[IndicatorText, ...] = ()

    @property
    def phrase(self) -> str:
        """The task's first clause without the verb that opens it: the work a headline names."""
        phrase = CLAUSE_SPLIT.split(LEADING_YEAR.sub("", self.title))[0]
        for verb in TITLE_VERBS:
            if phrase.startswith(verb) and len(phrase) - len(verb) >= 4:
                return phrase[len(verb) :]
        return phrase

    @property
    def sentences(self) -> list[str]:
        """The plan's sentences for this task, the one that repeats its title left out."""
        found = [s.strip() for s in SENTENCE_END.split(self.text) if len(s.strip()) >= 8]
        rest = [s for s in found if s.rstrip("。;") != self.title]
        return rest or found

    @property
    def clauses(self) -> list[str]:
        """Clauses of 6 to 40 characters with any leading 到2015年 dropped: what a report says it did."""
        found = []
        for clause in CLAUSE_SPLIT.split(self.text):
            clause = LEADING_YEAR.sub("", clause.strip())
            if 6 <= len(clause) <= 40 and clause != self.title:
                found.append(clause)
        return found or [self.phrase]


@dataclass(frozen=True)
class DomainText:
    pk: int
    title: str
    lead: str
    tasks: tuple[TaskText, ...]


@dataclass
class DemoUpdate:
    number: int
    title: str
    date: datetime.datetime
    source: str
    summary: str
    body: list[dict]  # StreamField's raw JSON: [{"type", "value", "id"}]
    domain_id: int
    task_ids: list[int] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return demo_slug(self.number)


def demo_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:0{SLUG_DIGITS}d}"


def plan_texts(home) -> list[DomainText]:
    """The domains under `home` with their lead department, tasks and the tasks' indicators, in plan order."""
    from portal.plan.models import DomainPage, IndicatorPage, Role, TaskPage
    from portal.plan.models.departments import responsibilities_of

    domains = list(DomainPage.objects.child_of(home).live().order_by("path"))
    leads = {}
    for row in responsibilities_of(domains):
        if row.role == Role.LEAD:
            leads.setdefault(row.page_id, row.department.name)
    indicators_by_parent = {}
    for indicator in IndicatorPage.objects.descendant_of(home).live().order_by("path"):
        indicators_by_parent.setdefault(indicator.path[: -indicator.steplen], []).append(
            IndicatorText(
                pk=indicator.pk,
                name=indicator.title,
                unit=indicator.unit,
                comparator=indicator.comparator,
                better=indicator.better,
                target=indicator.target,
                target_max=indicator.target_max,
                target_year=indicator.target_year,
                target_display=indicator.target_display,
                quote=indicator.quote,
            )
        )
    texts = []
    for domain in domains:
        tasks = tuple(
            TaskText(
                pk=task.pk,
                number=task.number,
                title=task.title,
                text=task.text,
                indicators=tuple(indicators_by_parent.get(task.path, ())),
            )
            for task in TaskPage.objects.child_of(domain).live().order_by("path")
        )
        if tasks:
            texts.append(DomainText(pk=domain.pk, title=domain.title, lead=leads.get(domain.pk, OFFICE), tasks=tasks))
    return texts


def compose(number: int, domains: list[DomainText], seed: int = DEMO_SEED) -> DemoUpdate:
    """Demo update number `number`: the same for the same seed, plan and number."""
    return Composer(random.Random(f"{seed}:{number}"), domains).update(number)


def reported_value(indicator: IndicatorText, rnd: random.Random) -> str:
    """A plausible reading near the target, as a report would print it (no unit)."""
    target = float(indicator.target)
    if indicator.comparator == Comparator.RANGE and indicator.target_max is not None:
        value = rnd.uniform(target, float(indicator.target_max))
    elif indicator.better == Better.LOWER:
        value = target * rnd.uniform(0.7, 1.1)
    else:
        value = target * rnd.uniform(0.9, 1.04)
    high = UNIT_BOUNDS.get(indicator.unit, DEFAULT_BOUNDS)[1]
    if high is not None:
        value = min(value, float(high))
    if indicator.unit in WHOLE_UNITS or target >= 1000:
        return str(round(value))
    return f"{value:.1f}".removesuffix(".0")


class Composer:
    """One update's choices, drawn in a fixed order from one random stream."""

    def __init__(self, rnd: random.Random, domains: list[DomainText]):
        self.rnd = rnd
        self.domains = domains

    def pick(self, items):
        return items[self.rnd.randrange(len(items))]

    def date(self) -> datetime.datetime:
        days = (LAST_DAY - FIRST_DAY).days
        day = FIRST_DAY + datetime.timedelta(days=self.rnd.randrange(days + 1))
        moment = datetime.datetime.combine(day, datetime.time(8, 30)) + datetime.timedelta(
            minutes=self.rnd.randrange(9 * 60)
        )
        return timezone.make_aware(moment, timezone.get_default_timezone())

    def update(self, number: int) -> DemoUpdate:
        rnd = self.rnd
        domain = self.pick(self.domains)
        count = min(len(domain.tasks), 1 if rnd.random() < 0.7 else rnd.choice((2, 2, 3)))
        tasks = rnd.sample(domain.tasks, count)
        task = tasks[0]
        indicators = [i for t in tasks for i in t.indicators]
        indicator = self.pick(indicators) if indicators and rnd.random() < 0.6 else None
        value = reported_value(indicator, rnd) if indicator else ""
        date = self.date()
        town = self.pick(TOWNS)
        actor = self.pick((town, domain.lead, OFFICE, "各镇(街、场)"))
        context = {
            "domain": domain,
            "task": task,
            "tasks": tasks,
            "indicator": indicator,
            "value": value,
            "date": date,
            "town": town,
            "actor": actor,
        }
        blocks = [self.opening(**context), self.quote(task)]
        blocks += [self.work(**context, clause=self.pick(t.clauses)) for t in tasks]
        if indicator:
            blocks.append(self.measured(**context))
        blocks.append(self.inspection(**context))
        return DemoUpdate(
            number=number,
            title=self.title(**context),
            date=date,
            source=self.pick((domain.lead, f"{town}人民政府" if town.endswith("镇") else f"{town}办事处", OFFICE)),
            summary=self.summary(**context),
            body=blocks,
            domain_id=domain.pk,
            task_ids=[t.pk for t in tasks],
            indicator_ids=[indicator.pk] if indicator else [],
        )

    # -- the pieces ----------------------------------------------------------------------------

    def title(self, *, domain, task, indicator, value, date, town, **_ignored) -> str:
        choices = [
            f"{town}推进{task.phrase}工作",
            f"{domain.lead}召开{task.phrase}工作推进会",
            f"{INSPECTORS}督查{town}{task.phrase}落实情况",
            f"{town}{task.phrase}工作通过年度检查",
            f"{date.year}年{domain.title}领域第{(date.month - 1) // 3 + 1}季度工作进展",
        ]
        if indicator:
            verb = "控制在" if indicator.better == Better.LOWER else "达到"
            choices += [f"{date.year}年{date.month}月{indicator.name}{verb}{value}{indicator.unit}"] * 2
        return self.pick(choices)

    def summary(self, *, task, indicator, value, date, actor, **_ignored) -> str:
        done = self.pick(("开展", "部署", "督查", "推进"))
        if indicator:
            result = f"{indicator.name}达到{value}{indicator.unit},方案目标为{indicator.target_display}"
        else:
            share = self.rnd.randint(60, 100)
            result = self.pick(("各项任务按计划推进", "完成阶段性目标任务", f"完成年度任务的{share}%"))
        return f"{date.year}年{date.month}月{date.day}日,{actor}{done}{task.phrase}工作,{result}。"

    def opening(self, *, domain, task, date, actor, **_ignored) -> dict:
        how = self.pick(("召开专题会议", "组织各镇和有关部门", "印发工作方案", "开展专项检查"))
        text = (
            f"为贯彻落实{PLAN_NAME}关于“{task.title}”的部署,{actor}于{date.month}月{date.day}日{how},"
            f"对{domain.title}领域第{task.number}项任务的推进情况进行安排。"
        )
        return self.paragraph(text)

    def quote(self, task: TaskText) -> dict:
        return {"type": "quote", "value": self.pick(task.sentences), "id": self.block_id()}

    def work(self, *, town, actor, clause, **_ignored) -> dict:
        verb = self.pick(("开展", "推进", "落实", "完成"))
        where = self.pick((town, "各镇", actor))
        detail = self.pick(
            (
                f"共开展专项行动{self.rnd.randint(2, 12)}次",
                f"覆盖{self.rnd.randint(20, 300)}个行政村(社区)",
                f"完成年度工作量的{self.rnd.randint(55, 100)}%",
                "建立工作台账,逐项明确责任单位和完成时限",
            )
        )
        return self.paragraph(f"按照方案“{clause}”的要求,{where}{verb}相关工作,{detail}。")

    def measured(self, *, indicator, value, date, **_ignored) -> dict:
        text = (
            f"截至{date.year}年{date.month}月底,全市{indicator.name}为{value}{indicator.unit},"
            f"方案提出的目标为{indicator.target_display}({indicator.target_year}年)。方案原文:“{indicator.quote}”"
        )
        return self.paragraph(text)

    def inspection(self, *, town, task, **_ignored) -> dict:
        towns = "、".join(self.rnd.sample(TOWNS, self.rnd.randint(2, 4)))
        finding = self.pick(("总体进展顺利", "发现问题已督促整改", "部分指标进度滞后,已限期整改"))
        plan = self.pick(("继续加大投入", "完善工作机制", "加强督查考核", "做好群众宣传"))
        text = (
            f"{INSPECTORS}对{towns}的{task.phrase}工作进行了督查,{finding}。"
            f"下一步,{town}将{plan},确保完成方案确定的目标任务。"
        )
        return self.paragraph(text)

    def paragraph(self, text: str) -> dict:
        return {"type": "paragraph", "value": f"<p>{escape(text)}</p>", "id": self.block_id()}

    def block_id(self) -> str:
        return str(uuid.UUID(int=self.rnd.getrandbits(128), version=4))
