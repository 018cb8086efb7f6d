"""Citizens' voice where residents read the plan: the embedded feedback form, the answers about a domain or a
task, and the consultations open now."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from portal.core.pages import LINK_FIELDS
from portal.participation.forms import Place, SubmissionForm
from portal.plan.models import DomainPage

register = template.Library()


@register.inclusion_tag("participation/includes/embedded_form.html", takes_context=True)
def feedback_form(context, domain, tasks=(), task=None):
    """SubmissionForm with its place preset, built from pages the page already holds (no queries).

    It posts to /feedback/: the answer is the receipt, or the full form with the errors and
    everything the resident typed. The ids carry their own prefix (the page has ids of its own);
    the names stay the form's, as /feedback/ reads them. The fold holds nothing of the reader's, so it is a
    fragment kept between renders (portal/core/fragments.py), and the form is built only when it is not kept.
    """
    # A mechanism item's parent is a mechanism, not a domain: the task alone says where it belongs.
    place = Place(domain=domain if isinstance(domain, DomainPage) else None, tasks=tasks, task=task)
    return {
        "place": place,
        "form": SimpleLazyObject(lambda: SubmissionForm(place=place, auto_id="fb_%s")),
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
        "request": context.get("request"),
        "fragment": context.get("fragment"),
    }


ANSWERS_SHOWN = 3


@register.inclusion_tag("participation/includes/place_answers.html")
def place_answers(page):
    """The latest published answers about a domain or a task page, with a link to all of them: one query."""
    from portal.participation.models import Submission

    field = "domain" if isinstance(page, DomainPage) else "task"
    answers = Submission.objects.published().filter(**{field: page}).only("number", "title", "answered_at")
    query = {"domain": page.slug} if field == "domain" else {"task": page.pk}
    return {
        "answers": list(answers.order_by("-answered_at")[:ANSWERS_SHOWN]),
        "all_url": f"{reverse('participation:answers')}?{urlencode(query)}",
    }


def open_consultations(limit=3) -> list:
    """Consultations taking opinions now, closing soonest first."""
    from portal.participation.pages import ConsultationPage

    now = timezone.now()
    pages = ConsultationPage.objects.live().public().filter(opens_at__lte=now, closes_at__gt=now)
    return list(pages.order_by("closes_at").only(*LINK_FIELDS, "closes_at")[:limit])


@register.inclusion_tag("participation/includes/open_consultations.html", takes_context=True)
def consultations_open(context):
    """The home page's box: shown only while a consultation is open."""
    return {"request": context.get("request"), "consultations": open_consultations(), "always": False}


@register.inclusion_tag("participation/includes/open_consultations.html", takes_context=True)
def consultations_of_mechanism(context, page):
    """On 民主决策机制, the mechanism that promises to ask the public: the open ones, and the way to all."""
    from portal.participation.pages import DECISION_MECHANISM

    if page.slug != DECISION_MECHANISM:
        return {"consultations": [], "always": False}
    return {"request": context.get("request"), "consultations": open_consultations(), "always": True}
