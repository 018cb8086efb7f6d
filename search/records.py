"""What gets indexed: one record per live, public piece of content, built the same way for both engines.

Only published pages without view restrictions, and public snippets, become records; drafts,
private pages and personal data never do.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.rich_text import RichText

from . import chinese

KIND_LABELS = {
    "domain": _("服务领域"),
    "task": _("任务"),
    "indicator": _("量化指标"),
    "update": _("工作进展"),
    "mechanism": _("体制机制"),
    "department": _("责任单位"),
    "document": _("政策文件"),
    "consultation": _("意见征集"),
    "answer": _("答复公开"),
}

# The plan's own pages above the thousands of updates that quote them; broad pages above narrow ones.
KIND_BOOST = {
    "domain": 2.5,
    "mechanism": 2.2,
    "task": 2.2,
    "indicator": 2.2,
    "department": 2.0,
    "consultation": 1.6,
    "answer": 1.4,
    "update": 1.0,
    "document": 0.6,  # the whole plan holds every word: its parts answer better
}


@dataclass
class SearchRecord:
    doc_id: str
    kind: str
    title: str
    url: str
    body: str = ""
    domain: str = ""
    date: datetime | None = None
    context: list[str] = field(default_factory=list)  # words that should find it but are not shown

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def boost(self) -> float:
        return KIND_BOOST.get(self.kind, 1.0)

    # Analysed once per record: the database table and Elasticsearch both take the same terms.
    @cached_property
    def _terms(self) -> tuple[str, str]:
        return analyse(self.title, self.body, tuple(self.context))

    def title_terms(self) -> str:
        return self._terms[0]

    def body_terms(self) -> str:
        return self._terms[1]

    @property
    def analysed(self) -> bool:
        return "_terms" in self.__dict__

    def set_terms(self, terms: tuple[str, str]) -> None:
        """Terms computed elsewhere (another process, in a full rebuild) by analyse()."""
        self.__dict__["_terms"] = terms


def analyse(title: str, body: str, context: tuple[str, ...] = ()) -> tuple[str, str]:
    """A record's (title terms, body terms), each a space-separated string."""
    return " ".join(chinese.index_terms(title)), " ".join(chinese.index_terms(body, *context))


def page_doc_id(page) -> str:
    return f"page:{page.pk}"


def sample_doc_ids(doc_ids) -> set[str]:
    """Which of these records show sample data: an indicator whose latest published value is sample data
    (its record quotes that value), a demo progress update. One query for a page of hits, whatever its size."""
    from portal.plan.models import IndicatorReading
    from portal.updates.models import UpdatePage

    pks = {int(doc_id.split(":", 1)[1]) for doc_id in doc_ids if doc_id.startswith("page:")}
    if not pks:
        return set()
    indicators = IndicatorReading.objects.filter(indicator_id__in=pks, count__gt=0, latest_is_sample=True)
    updates = UpdatePage.objects.filter(pk__in=pks, is_sample=True)
    # Unordered: SQLite allows no ORDER BY inside a UNION, and pages are ordered by their tree path by default.
    samples = (
        indicators.order_by()
        .values_list("indicator_id", flat=True)
        .union(updates.order_by().values_list("pk", flat=True))
    )
    return {f"page:{pk}" for pk in samples}


class RecordContext:
    """What many records need, read once: domain names by tree path, the plan's date, and the domains
    and tasks updates link to.

    Pages under a domain belong to it by their path; an update belongs to the domain it names or, failing
    that, to its tasks' domain; a department to the domain where it leads the most. `updates` limits the
    links read to those updates' (one page's record needs only its own).
    """

    def __init__(self, updates: list[int] | None = None):
        from portal.plan.models import DomainPage, Plan

        domains = DomainPage.objects.live().only("path", "title").order_by("path")
        self.domain_titles = {p.path: p.title for p in domains}
        self.domain_order = {p.title: n for n, p in enumerate(domains)}
        self.plan_date = plan_date(Plan.current())
        self.updates = updates

    def domain_of(self, page) -> str:
        """The domain `page` is under (or is), by its path."""
        return self.domain_at(page.path)

    def domain_at(self, path: str) -> str:
        for end in range(len(path), 0, -Page.steplen):
            name = self.domain_titles.get(path[:end])
            if name:
                return name
        return ""

    @cached_property
    def update_domains(self) -> dict[int, str]:
        """Update id → its domain: the first live domain it names, else its first task's that has one."""
        from portal.updates.models import UpdatePage

        found = {}
        # Tasks first, so that a domain named outright overwrites a task's.
        for relation, target in ((UpdatePage.tasks, "taskpage"), (UpdatePage.domains, "domainpage")):
            links = relation.through.objects.order_by(f"-{target}__path")
            if self.updates is not None:
                links = links.filter(updatepage_id__in=self.updates)
            for update_id, path in links.values_list("updatepage_id", f"{target}__path"):
                name = self.domain_at(path)
                if name:
                    found[update_id] = name
        return found

    def department_domain(self, department) -> str:
        """Where the department leads the most; a department that leads nowhere belongs where it is most
        often responsible, then where it helps (市体育局, 台山公路局); plan order breaks ties; "" if nowhere."""
        from portal.plan.models import Role

        weight = {Role.LEAD: 100, Role.RESPONSIBLE: 10, Role.PARTNER: 1}
        score = Counter()
        for responsibility in department.responsibilities.all():
            if responsibility.page.live:
                name = self.domain_of(responsibility.page)
                if name:
                    score[name] += weight.get(responsibility.role, 0)
        return min(score, key=lambda name: (-score[name], self.domain_order[name]), default="")


def plan_date(plan) -> datetime | None:
    """The date of the plan's source document: when it was published, else the day it was issued."""
    if plan is None:
        return None
    document = plan.document
    if document.published_at:
        return document.published_at
    return timezone.make_aware(datetime.combine(document.issued_on, time()), timezone.get_default_timezone())


def block_text(block) -> str:
    """The words of one StreamField block. Rich text is read from its source: rendering it through its
    template only to strip the tags again was a third of a full rebuild's record building."""
    if isinstance(block.value, RichText):
        return strip_tags(block.value.source)
    return strip_tags(str(block.render()))


def _page_record(page, context: RecordContext) -> SearchRecord | None:
    from portal.participation.pages import ConsultationPage
    from portal.plan.models import DomainPage, IndicatorPage, MechanismPage, TaskPage
    from portal.updates.models import UpdatePage

    base = {
        "doc_id": page_doc_id(page),
        "title": page.title,
        "url": page.get_url() or page.url_path,
        "domain": context.domain_of(page),
        # The plan's pages say what the plan said on its date, not when this site loaded them.
        "date": context.plan_date or page.first_published_at,
    }
    if isinstance(page, DomainPage):
        return SearchRecord(kind="domain", body=page.goal, **base)
    if isinstance(page, TaskPage):
        return SearchRecord(kind="task", body=page.text, context=[page.progress_note], **base)
    if isinstance(page, IndicatorPage):
        body = f"目标 {page.target_display}({page.target_year}年)。{page.quote}"
        if page.latest:
            body += f" 最新值 {page.latest.value.normalize():f}{page.unit}({page.latest.date.isoformat()})"
        return SearchRecord(kind="indicator", body=body, context=[page.reference], **base)
    if isinstance(page, MechanismPage):
        return SearchRecord(kind="mechanism", body=page.text, **base)
    if isinstance(page, ConsultationPage):
        base.update(date=page.opens_at, domain=page.domain.title if page.domain else "")
        return SearchRecord(kind="consultation", body=f"{page.summary} {strip_tags(page.background)}", **base)
    if isinstance(page, UpdatePage):
        text = " ".join(block_text(block) for block in page.body if block.block_type != "image")
        base.update(date=page.date, domain=context.update_domains.get(page.pk, ""))
        return SearchRecord(kind="update", body=f"{page.summary} {text}", **base)
    return None


PAGE_KINDS = {"DomainPage", "TaskPage", "IndicatorPage", "MechanismPage", "UpdatePage", "ConsultationPage"}


def searchable_page_models():
    from portal.participation.pages import ConsultationPage
    from portal.plan.models import DomainPage, IndicatorPage, MechanismPage, TaskPage
    from portal.updates.models import UpdatePage

    return [DomainPage, TaskPage, IndicatorPage, MechanismPage, UpdatePage, ConsultationPage]


def with_record_relations(queryset):
    """`queryset` (of one searchable page type) with what its records read prefetched: a fixed number
    of queries however many pages there are."""
    from portal.participation.pages import ConsultationPage
    from portal.plan.models import IndicatorPage

    if queryset.model is IndicatorPage:
        return queryset.with_live_measurements()
    if queryset.model is ConsultationPage:
        return queryset.select_related("domain")
    return queryset


def public_pages():
    for model in searchable_page_models():
        yield from with_record_relations(model.objects.live().public().order_by("path"))


def record_for_page(page) -> SearchRecord | None:
    """The record for one page, or None when it is not (or no longer) public."""
    page = page.specific
    if not page.live or not Page.objects.filter(pk=page.pk).public().exists():
        return None
    return _page_record(page, RecordContext(updates=[page.pk]))


def department_records(context: RecordContext | None = None) -> Iterator[SearchRecord]:
    from portal.plan.models import Department

    context = context or RecordContext()
    departments = Department.objects.prefetch_related(
        Prefetch("responsibilities__page", queryset=Page.objects.only("path", "depth", "title", "live"))
    )
    for department in departments:
        pages = [r.page.title for r in department.responsibilities.all() if r.page.live]
        yield SearchRecord(
            doc_id=f"department:{department.key}",
            kind="department",
            title=department.name,
            url=department.get_absolute_url(),
            body=department.description or "、".join(pages),
            domain=context.department_domain(department),
            context=pages,
        )


def document_records() -> Iterator[SearchRecord]:
    from portal.plan.models import SourceDocument

    for document in SourceDocument.objects.all():
        yield SearchRecord(
            doc_id=f"document:{document.pk}",
            kind="document",
            title=f"{document.title}({document.number})",
            url=document.get_absolute_url(),
            body=document.full_text,
            date=document.published_at,
        )


def answer_doc_id(submission_id: int) -> str:
    return f"answer:{submission_id}"


def answer_records(submissions=None) -> Iterator[SearchRecord]:
    """Published answers (among `submissions`, a Submission queryset; all by default): the question
    and the answer only, never who asked."""
    from portal.participation.models import Submission

    submissions = Submission.objects.all() if submissions is None else submissions
    for item in submissions.published().select_related("domain", "department"):
        yield SearchRecord(
            doc_id=answer_doc_id(item.pk),
            kind="answer",
            title=item.title,
            url=f"/feedback/answers/#{item.number}",
            body=f"{item.content} 答复:{item.answer}",
            domain=item.domain.title if item.domain else "",
            date=item.answered_at,
            context=[item.department.name] if item.department else [],
        )


def all_records() -> Iterator[SearchRecord]:
    """Every record, in a number of queries that does not grow with the content."""
    context = RecordContext()
    for page in public_pages():
        record = _page_record(page, context)
        if record:
            yield record
    yield from department_records(context)
    yield from document_records()
    yield from answer_records()
