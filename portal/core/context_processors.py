"""Context every public template needs: navigation and the reader's text size."""

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
    }
