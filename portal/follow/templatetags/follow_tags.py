from django import template

from .. import tokens

register = template.Library()


@register.filter
def letter_token(submission) -> str:
    """For the receipt page's 关注 form: only whoever saw the receipt can follow that letter."""
    return tokens.letter_token(submission)
