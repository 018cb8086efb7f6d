"""The office's one-off notice to a consultation's confirmed followers, sent off the request path."""

import logging

from django_tasks import task

from django.core.mail import EmailMessage, get_connection

from . import tokens
from .models import Subscription
from .services import in_language, link

logger = logging.getLogger("portal.follow")


@task()
def send_notice(page_id: int, subject: str, body: str) -> int:
    """One message per follower (they never see each other), each with its own unsubscribe link and headers."""
    messages = []
    for subscription in Subscription.objects.confirmed().filter(page_id=page_id).order_by("pk"):
        language = subscription.language
        leave = link("follow:unsubscribe", language, tokens.unsubscribe_token(subscription))
        text = f"{body}\n\n" + in_language(f"不再关注这一项:{leave}\n", language)
        messages.append(
            EmailMessage(
                in_language(subject, language),
                in_language(text, language) if language == "zh-hant" else text,
                None,
                [subscription.email],
                headers={"List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
        )
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except OSError as error:
        logger.warning("a consultation notice failed: %s", error)
        return 0
