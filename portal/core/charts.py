"""Server-rendered, accessible charts: the geometry here, the markup in templates/includes/
(line_chart.html, bar_chart.html).

Charts are inline SVG with a <title> and <desc>; every chart is paired in its template with a
table of the same numbers, so nothing depends on seeing the picture or running JavaScript.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import format_number

PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 16, 32


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str
    value: str
    is_sample: bool
    anchor: str = "middle"


@dataclass
class Chart:
    width: int
    height: int
    title: str
    description: str
    ident: str = "chart"  # unique on the page: the prefix of the ids that aria-labelledby names
    unit: str = ""
    points: list[ChartPoint] = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    polyline: str = ""
    plot_left: int = PAD_LEFT
    plot_right: int = 0
    plot_bottom: int = 0

    @property
    def empty(self) -> bool:
        return not self.points

    @property
    def full(self) -> bool:
        """Wide enough for axes and labels; narrower charts are sparklines (the line and its points)."""
        return self.width >= 300

    @property
    def point_radius(self) -> int:
        return 4 if self.full else 2

    @property
    def tick_x(self) -> int:
        """Where the value labels end, just left of the plot."""
        return self.plot_left - 6

    @property
    def date_label_y(self) -> int:
        return self.plot_bottom + 18

    @property
    def target_label_y(self) -> float | None:
        return None if self.target_y is None else round(self.target_y - 6, 1)


def _scale(low: Decimal, high: Decimal, top: float, bottom: float):
    span = (high - low) or Decimal(1)

    def to_y(value: Decimal) -> float:
        return round(bottom - float((value - low) / span) * (bottom - top), 1)

    return to_y


def line_chart(indicator, *, width: int = 640, height: int = 260, padded: bool = True) -> Chart:
    """The indicator's measurements over time with its target drawn as a dashed line."""
    series = indicator.series
    unit = indicator.unit
    title = _("%(name)s 变化趋势") % {"name": indicator.title}
    if series:
        first, last = series[0], series[-1]
        description = _(
            "共 %(count)s 个数据点,%(start)s 为 %(v1)s%(unit)s,%(end)s 为 %(v2)s%(unit)s;目标 %(target)s。"
        ) % {
            "count": len(series),
            "start": first.date.isoformat(),
            "v1": format_number(first.value),
            "end": last.date.isoformat(),
            "v2": format_number(last.value),
            "unit": unit,
            "target": indicator.target_display,
        }
    else:
        description = _("暂无监测数据;目标 %(target)s。") % {"target": indicator.target_display}
    left, right = (PAD_LEFT, width - PAD_RIGHT) if padded else (2, width - 2)
    top, bottom = (PAD_TOP, height - PAD_BOTTOM) if padded else (2, height - 2)
    chart = Chart(
        width,
        height,
        title,
        description,
        ident=f"chart-{indicator.pk}-{width}",
        unit=unit,
        plot_left=left,
        plot_right=right,
        plot_bottom=bottom,
    )
    values = [m.value for m in series] + [indicator.target]
    low, high = min(values), max(values)
    margin = (high - low) * Decimal("0.1") or abs(high) * Decimal("0.1") or Decimal(1)
    low, high = max(low - margin, min(indicator.value_bounds()[0], low)), high + margin
    to_y = _scale(low, high, top, bottom)
    chart.target_y = to_y(indicator.target)
    chart.target_label = _("目标 %(target)s") % {"target": indicator.target_display}
    chart.y_ticks = [(to_y(v), format_number(round(v, 2))) for v in (low, (low + high) / 2, high)]
    if series:
        start, end = series[0].date.toordinal(), series[-1].date.toordinal()
        span = max(end - start, 1)
        for m in series:
            x = left + (right - left) * (m.date.toordinal() - start) / span if len(series) > 1 else (left + right) / 2
            chart.points.append(
                ChartPoint(round(x, 1), to_y(m.value), m.date.isoformat(), format_number(m.value), m.is_sample)
            )
        if len(chart.points) > 1:
            # Keep the first and last date labels inside the picture.
            chart.points[0].anchor, chart.points[-1].anchor = "start", "end"
        chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.points)
    return chart


def sparkline(indicator) -> Chart:
    return line_chart(indicator, width=160, height=40, padded=False)


@dataclass
class Bar:
    label: str
    value: float
    y: float
    width: float
    text: str


@dataclass
class BarChart:
    width: int
    height: int
    title: str
    description: str
    bars: list[Bar]
    label_width: int


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 640) -> BarChart:
    """Horizontal bars, one per (label, value); the template pairs it with a table of the same numbers."""
    label_width, row, gap = 140, 22, 6
    top = max((value for _, value in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        bar_width = (width - label_width - 60) * value / top
        bars.append(Bar(label, value, i * (row + gap), round(bar_width, 1), f"{value:g}{unit}"))
    description = ";".join(f"{b.label} {b.text}" for b in bars)
    return BarChart(width, max(len(bars) * (row + gap), row), title, description, bars, label_width)
