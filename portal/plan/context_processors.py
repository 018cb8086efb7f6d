"""The site's navigation from the plan: the domains shown in the menu, read only if a page shows them."""

from django.utils.functional import SimpleLazyObject

from portal.core.pages import LINK_FIELDS

from .models import DomainPage


def _menu_domains():
    return list(DomainPage.objects.live().in_menu().order_by("path").only(*LINK_FIELDS))


def navigation(request):
    return {"nav_domains": SimpleLazyObject(_menu_domains)}
