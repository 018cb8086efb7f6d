"""Numbers as residents read them, wherever the site shows one (pages, charts, open data)."""

from decimal import Decimal


def format_number(value) -> str:
    """Decimals without trailing zeros: 96.0000 → 96, 76.8000 → 76.8."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
