"""What gets indexed: one record per live, public piece of content, built the same way for both engines.

Only published pages without view restrictions, and public snippets, become records; drafts,
private pages and personal data never do.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

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

# Broad pages should win over narrow ones when both match equally well.
KIND_BOOST = {"domain": 1.6, "mechanism": 1.3, "indicator": 1.2, "task": 1.1, "update": 1.0, "department": 1.0}


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


class _Domains:
    """Domain names by tree path, to name the domain of any page without a query per page."""

    def __init__(self):
        from portal.plan.models import DomainPage

        self.by_path = {p.path: p.title for p in DomainPage.objects.live()}

    def of(self, page) -> str:
        for depth in range(page.depth, 0, -1):
            name = self.by_path.get(page.path[: depth * 4])
            if name:
                return name
        return ""


def _page_record(page, domains: _Domains) -> SearchRecord | None:
    from portal.plan.models import DomainPage, IndicatorPage, MechanismPage, TaskPage
    from portal.updates.models import UpdatePage

    base = {
        "doc_id": page_doc_id(page),
        "title": page.title,
        "url": page.get_url() or page.url_path,
        "domain": domains.of(page),
        "date": page.first_published_at,
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
    from portal.participation.pages import ConsultationPage

    if isinstance(page, ConsultationPage):
        base["date"] = page.opens_at
        return SearchRecord(kind="consultation", body=f"{page.summary} {strip_tags(page.background)}", **base)
    if isinstance(page, UpdatePage):
        text = " ".join(strip_tags(str(block.render())) for block in page.body if block.block_type != "image")
        base["date"] = page.date
        return SearchRecord(kind="update", body=f"{page.summary} {text}", **base)
    return None


PAGE_KINDS = {"DomainPage", "TaskPage", "IndicatorPage", "MechanismPage", "UpdatePage", "ConsultationPage"}


def searchable_page_models():
    from portal.participation.pages import ConsultationPage
    from portal.plan.models import DomainPage, IndicatorPage, MechanismPage, TaskPage
    from portal.updates.models import UpdatePage

    return [DomainPage, TaskPage, IndicatorPage, MechanismPage, UpdatePage, ConsultationPage]


def public_pages():
    for model in searchable_page_models():
        yield from model.objects.live().public().order_by("path")


def record_for_page(page) -> SearchRecord | None:
    """The record for one page, or None when it is not (or no longer) public."""
    page = page.specific
    from wagtail.models import Page

    if not page.live or not Page.objects.filter(pk=page.pk).public().exists():
        return None
    return _page_record(page, _Domains())


def department_records() -> Iterator[SearchRecord]:
    from portal.plan.models import Department

    for department in Department.objects.prefetch_related("responsibilities__page"):
        pages = [r.page.title for r in department.responsibilities.all() if r.page.live]
        yield SearchRecord(
            doc_id=f"department:{department.key}",
            kind="department",
            title=department.name,
            url=department.get_absolute_url(),
            body=department.description or "、".join(pages),
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
    domains = _Domains()
    for page in public_pages():
        record = _page_record(page, domains)
        if record:
            yield record
    yield from department_records()
    yield from document_records()
    yield from answer_records()
