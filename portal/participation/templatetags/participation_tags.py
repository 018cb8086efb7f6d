"""The feedback form embedded where residents read about a domain or a task."""

from django import template
from django.conf import settings

from portal.participation import captcha
from portal.participation.forms import Place, SubmissionForm
from portal.participation.models import Submission
from portal.plan.models import DomainPage

register = template.Library()


@register.inclusion_tag("participation/includes/embedded_form.html", takes_context=True)
def feedback_form(context, domain, tasks=(), task=None):
    """The form with its place preselected, built from pages the page already holds (no queries).

    It posts to /feedback/: the answer is the receipt, or the full form with the errors and
    everything the resident typed.
    """
    # A mechanism item's parent is a mechanism, not a domain: the task alone says where it belongs.
    place = Place(domain=domain if isinstance(domain, DomainPage) else None, tasks=tasks, task=task)
    fields = SubmissionForm.base_fields
    widget = SubmissionForm()["captcha"] if captcha.configured() else None
    return {
        "place": place,
        "fields": fields,
        "kinds": Submission.Kind.choices,
        "task_choices": place.task_choices(),
        "captcha": widget,
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
