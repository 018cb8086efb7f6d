"""The feedback form embedded where residents read about a domain or a task."""

from django import template
from django.conf import settings

from portal.participation.forms import Place, SubmissionForm
from portal.plan.models import DomainPage

register = template.Library()


@register.inclusion_tag("participation/includes/embedded_form.html")
def feedback_form(domain, tasks=(), task=None):
    """SubmissionForm with its place preset, built from pages the page already holds (no queries).

    It posts to /feedback/: the answer is the receipt, or the full form with the errors and
    everything the resident typed. The ids carry their own prefix (the page has ids of its own);
    the names stay the form's, as /feedback/ reads them.
    """
    # A mechanism item's parent is a mechanism, not a domain: the task alone says where it belongs.
    place = Place(domain=domain if isinstance(domain, DomainPage) else None, tasks=tasks, task=task)
    return {
        "place": place,
        "form": SubmissionForm(place=place, auto_id="fb_%s"),
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
    }
