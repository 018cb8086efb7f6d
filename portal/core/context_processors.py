"""Context every public template needs: the reader's text size, the answer deadline, the site's address."""

from django.conf import settings

TEXT_SIZE_COOKIE = "text_size"
TEXT_SIZE_MAX_AGE = 365 * 24 * 3600


def portal(request):
    return {
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        # Promised wherever a form is offered; one setting, never a number in a template.
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
        # The public address, for the page's own address printed at its foot (never the Host header).
        "site_url": settings.SITE_URL,
    }
