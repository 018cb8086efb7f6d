"""Plan views that are not CMS pages: departments, the phase timeline and the source document."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Department, Plan, Responsibility


def department_list(request):
    departments = Department.objects.all()
    groups = [(kind, list(items)) for kind, items in groupby(departments, key=lambda d: d.get_kind_display())]
    return render(request, "plan/department_list.html", {"groups": groups})


def department_detail(request, key):
    department = get_object_or_404(Department, key=key)
    rows = (
        Responsibility.objects.filter(department=department, page__live=True)
        .select_related("page", "page__content_type")
        .order_by("page__path")
    )
    by_role = {}
    for row in rows:
        by_role.setdefault(row.get_role_display(), []).append(row.page)
    return render(request, "plan/department_detail.html", {"department": department, "by_role": by_role})


def timeline(request):
    plan = Plan.current()
    phases = list(plan.phases.all()) if plan else []
    today = timezone.localdate()
    for phase in phases:
        phase.state = "done" if phase.end_date < today else ("current" if phase.start_date <= today else "upcoming")
    return render(request, "plan/timeline.html", {"plan": plan, "phases": phases})


def source_document(request):
    plan = Plan.current()
    document = plan.document if plan else None
    paragraphs = [p.strip() for p in document.full_text.split("\n\n") if p.strip()] if document else []
    return render(request, "plan/source_document.html", {"plan": plan, "document": document, "paragraphs": paragraphs})
