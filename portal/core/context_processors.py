"""Context every public template needs: navigation, the reader's text size, the answer deadline."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

TEXT_SIZE_COOKIE = "text_size"


def _navigation():
    from portal.plan.models import DomainPage

    from .pages import LINK_FIELDS

    return list(DomainPage.objects.live().in_menu().order_by("path").only(*LINK_FIELDS))


def portal(request):
    return {
        "nav_domains": SimpleLazyObject(_navigation),
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        # Promised wherever a form is offered; one setting, never a number in a template.
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
    }
