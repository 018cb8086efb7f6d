"""Template helpers shared by every public page: numbers, statuses, charts, metadata."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.core import charts
from portal.plan.models import format_number
from portal.plan.status import Status

register = template.Library()


@register.filter
def num(value):
    """96.0000 → 96; keeps meaningful decimals."""
    return format_number(value)


@register.filter
def status_label(value):
    return Status(value).label if value in Status.values else ""


@register.simple_tag(takes_context=True)
def indicator_card(context, indicator):
    """Target against the latest value, with a progress bar and a sparkline.

    Built with format_html rather than an inclusion template: a domain page shows up to 17 cards
    and the template engine's per-variable cost made them a third of the page's time.
    """
    latest, status = indicator.latest, indicator.current_status
    if latest:
        sample = format_html(' <span class="badge badge-sample">{}</span>', _("示例数据")) if latest.is_sample else ""
        reading = format_html(
            '<span class="value">{}{}</span> <span class="date">{}</span>{}',
            format_number(latest.value),
            indicator.unit,
            latest.date.isoformat(),
            sample,
        )
    else:
        reading = format_html('<span class="value none">{}</span>', _("暂无数据"))
    chart = charts.sparkline(indicator)
    return format_html(
        '<article class="indicator-card status-{status}"><h4><a href="{url}">{title}</a></h4>'
        '<p class="target">{target_word} {target}({year}{year_word})</p><p class="latest">{reading}</p>'
        "{progress}"
        '<p class="status"><span class="badge badge-{status}">{status_label}</span></p>{chart}</article>',
        status=status,
        url=indicator.get_url(request=context.get("request")),
        title=indicator.title,
        target_word=_("目标"),
        target=indicator.target_display,
        year=indicator.target_year,
        year_word=_("年"),
        reading=reading,
        progress=progress_bar(indicator.progress),
        status_label=status_label(status),
        chart="" if chart.empty else charts.line_chart_svg(chart, indicator),
    )


@register.simple_tag
def progress_bar(percent: int):
    """The bar's length is an SVG attribute, not style="width: …": the Content-Security-Policy forbids style
    attributes (pages are cached, so no nonce), and an attribute needs no 'unsafe-inline'."""
    return format_html(
        '<svg class="progress" viewBox="0 0 100 1" preserveAspectRatio="none" role="progressbar" aria-valuemin="0"'
        ' aria-valuemax="100" aria-valuenow="{}" aria-label="{}"><rect width="{}" height="1"/></svg>',
        percent,
        _("完成进度"),
        percent,
    )


@register.simple_tag
def line_chart(chart, indicator):
    return charts.line_chart_svg(chart, indicator)


@register.inclusion_tag("includes/status_counts.html")
def status_counts(counts):
    return {"items": [(status, status.label, counts.get(status.value, 0)) for status in Status]}


@register.simple_tag
def pub_date(page):
    """PubDate for government-site metadata: the first publication, as YYYY-MM-DD HH:MM."""
    moment = getattr(page, "first_published_at", None) or getattr(page, "last_published_at", None)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
