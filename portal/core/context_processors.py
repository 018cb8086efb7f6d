"""Context every public template needs: the reader's text size, the answer deadline."""

from django.conf import settings

TEXT_SIZE_COOKIE = "text_size"


def portal(request):
    return {
        "large_text": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        # Promised wherever a form is offered; one setting, never a number in a template.
        "answer_working_days": settings.PARTICIPATION_ANSWER_WORKING_DAYS,
    }
