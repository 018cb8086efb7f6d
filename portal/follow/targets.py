"""What can be followed: a live public domain, indicator or consultation page."""

from portal.participation.pages import ConsultationPage
from portal.plan.models import DomainPage, IndicatorPage

FOLLOWABLE = (DomainPage, IndicatorPage, ConsultationPage)


def followable_page(pk: int):
    for model in FOLLOWABLE:
        page = model.objects.live().public().filter(pk=pk).first()
        if page is not None:
            return page
    return None
