"""Progress updates as other sections' pages list them: the home page names this tag, so the plan's
models need not import the updates app, which itself builds on the plan."""

from django import template

from portal.updates.models import UpdatePage

register = template.Library()


@register.simple_tag
def latest_updates(count=5):
    """The newest public progress updates, in one query when the page lists them."""
    return UpdatePage.objects.live().public().order_by("-date", "-pk")[:count]
