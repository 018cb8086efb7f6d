"""Context every public template needs: the reader's display choices, the answer deadline."""

from django.conf import settings

TEXT_SIZE_COOKIE = "text_size"
# 适老化 mode (the 工信部 2021 rules for websites used by older residents): larger text and touch targets,
# a high-contrast theme. Like the text size, a cookie and a variant of the page cache, so it needs no script.
CARE_MODE_COOKIE = "care_mode"


def display_choices(request) -> tuple[bool, bool]:
    """(large text, care mode) as the reader chose them; care mode includes the larger text."""
    care = request.COOKIES.get(CARE_MODE_COOKIE) == "on"
    return care or request.COOKIES.get(TEXT_SIZE_COOKIE) == "large", care


def portal(request):
    large_text, care_mode = display_choices(request)
    return {
        "large_text": large_text,
        "care_mode": care_mode,
        # Promised wherever a form is offered; one setting, never a number in a template.
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
        # The public address, for the page's own address printed at its foot (never the Host header).
        "site_url": settings.SITE_URL,
    }
