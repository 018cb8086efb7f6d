"""Server-rendered, accessible charts: the geometry here, the markup in templates/includes/
(line_chart.html, bar_chart.html).

Charts are inline SVG with a <title> and <desc>; every chart is paired in its template with a
table of the same numbers, so nothing depends on seeing the picture or running JavaScript.

A line chart has no viewBox: a viewBox scales everything with the chart's width, so a phone would
shrink its text to a few pixels. Positions are percentages of the chart's box instead (the line is a
nested SVG stretched over the box, with a stroke that does not stretch), and text is sized in rem by
the stylesheet: it is as large on a phone as on a desktop, and grows with 大字号. What the server
cannot know is how wide the chart will be and which text size the reader chose, so the labels that
could collide are laid out for each case and the stylesheet hides the ones that do not fit
(`hide-*` classes, see DISPLAYS).
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from .numbers import format_number

# Must match static/css/site.css: chart text is .8125rem (13 px, 16.25 px in 大字号) in a box 15rem high.
FONT_REM = 0.8125
HEIGHT_REM = 15
# One em of chart text as a percentage of the chart's height: the same in every text size, as both are rem.
EM_Y = FONT_REM / HEIGHT_REM * 100

# The places a chart is read, each named by the class that hides a label there (site.css): a phone's
# column (a 352 px screen and wider; 360-390 px phones are the common ones) and the narrowest column of a
# wider screen (40em and up), in normal and 大字号 text. Width of the chart and size of its text, in px.
DISPLAYS = {
    "pn": (320, 13.0),
    "pl": (320, 16.25),
    "wn": (600, 13.0),
    "wl": (600, 16.25),
}
WORST = "pl"  # narrowest and largest: a label placed for it fits everywhere

# The plot inside the box, in percent: points from X_START to X_END; values from PLOT_TOP to PLOT_BOTTOM;
# below that, the date labels. Tick labels sit above their grid lines at the left edge.
X_START, X_END = 12.0, 96.0
PLOT_TOP, PLOT_BOTTOM = 10.0, 82.0
MAX_TICKS = 5
LABEL_GAP_EM = 0.5  # space kept between two date labels


def text_width_em(text: str) -> float:
    """A generous estimate of a label's width in em: Chinese characters are square, digits and Latin narrower."""
    return sum(1.0 if ord(char) > 0x2E80 else 0.58 for char in text)


def nice_step(span: Decimal, intervals: int) -> Decimal:
    """The smallest round step (1, 2 or 5 times a power of ten) that covers `span` in `intervals` steps."""
    raw = span / intervals
    exponent = raw.adjusted()
    for multiple in (1, 2, 5, 10):
        step = Decimal(multiple).scaleb(exponent)
        if step >= raw:
            return step
    raise AssertionError("unreachable: 10 × 10^exponent always covers raw")


def nice_ticks(low: Decimal, high: Decimal, max_ticks: int = MAX_TICKS) -> list[Decimal]:
    """Round tick values that enclose [low, high]: at most `max_ticks`, each step 1, 2 or 5 × 10ⁿ."""
    low, high = Decimal(min(low, high)), Decimal(max(low, high))
    if low == high:
        # A flat series: room around it, never below zero for a value that cannot be negative.
        pad = abs(low) * Decimal("0.1") or Decimal(1)
        low, high = (max(low - pad, Decimal(0)) if low >= 0 else low - pad), high + pad
    step = nice_step(high - low, max_ticks - 1)
    while True:
        start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        end = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        count = int((end - start) / step)
        if count <= max_ticks - 1:
            return [(start + step * i).normalize() for i in range(count + 1)]
        step = nice_step(step * 2, 1)  # the next round step up


def thin_labels(spans: list[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """Which labels to print, given each one's horizontal extent in order, so that none overlap.

    The first and the last (the span of the series) are kept; between them a label is kept when it
    clears the one kept before it and the last one by `gap`. When even the first and last collide, the
    last (the latest reading) is the one kept.
    """
    if not spans:
        return []
    last = len(spans) - 1
    if last and spans[0][1] + gap > spans[last][0]:
        return [last]
    kept = [0]
    for i in range(1, last):
        left, right = spans[i]
        if left >= spans[kept[-1]][1] + gap and right + gap <= spans[last][0]:
            kept.append(i)
    if last:
        kept.append(last)
    return kept


def label_span(x: float, anchor: str, width: float) -> tuple[float, float]:
    if anchor == "start":
        return (x, x + width)
    if anchor == "end":
        return (x - width, x)
    return (x - width / 2, x + width / 2)


def width_pct(text: str, display: str) -> float:
    chart_px, font_px = DISPLAYS[display]
    return text_width_em(text) * font_px / chart_px * 100


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str  # the full date, in the point's tooltip
    value: str
    is_sample: bool
    anchor: str = "middle"
    short_label: str = ""  # what is printed under the axis
    hidden_on: list[str] = field(default_factory=list)  # DISPLAYS where the label would collide

    @property
    def label_classes(self) -> str:
        return " ".join(f"hide-{name}" for name in self.hidden_on)


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class TargetLabel:
    x: float
    anchor: str
    dy: str  # above the line or below it


@dataclass
class Chart:
    title: str
    description: str
    ident: str = "chart"  # unique on the page: the prefix of the ids that aria-labelledby names
    full: bool = True  # axes and labels; a sparkline (False) is the line and its points
    unit: str = ""
    points: list[ChartPoint] = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    target_place: TargetLabel | None = None
    y_ticks: list[Tick] = field(default_factory=list)
    polyline: str = ""

    @property
    def empty(self) -> bool:
        return not self.points

    @property
    def point_radius(self) -> int:
        return 4 if self.full else 2


def _describe(indicator, series) -> str:
    unit = indicator.unit
    if not series:
        return _("暂无监测数据;目标 %(target)s。") % {"target": indicator.target_display}
    first, last = series[0], series[-1]
    return _("共 %(count)s 个数据点,%(start)s 为 %(v1)s%(unit)s,%(end)s 为 %(v2)s%(unit)s;目标 %(target)s。") % {
        "count": len(series),
        "start": first.date.isoformat(),
        "v1": format_number(first.value),
        "end": last.date.isoformat(),
        "v2": format_number(last.value),
        "unit": unit,
        "target": indicator.target_display,
    }


def _short_dates(series) -> list[str]:
    """Year and month when no two readings share a month (shorter labels fit more), else the full date."""
    months = [m.date.strftime("%Y-%m") for m in series]
    return months if len(set(months)) == len(months) else [m.date.isoformat() for m in series]


def _thin_dates(points: list[ChartPoint]) -> None:
    for display in DISPLAYS:
        gap = LABEL_GAP_EM * DISPLAYS[display][1] / DISPLAYS[display][0] * 100
        spans = [label_span(p.x, p.anchor, width_pct(p.short_label, display)) for p in points]
        kept = set(thin_labels(spans, gap))
        for i, point in enumerate(points):
            if i not in kept:
                point.hidden_on.append(display)


def _place_target_label(chart: Chart) -> TargetLabel:
    """Above or below the target line, at its right end, its left end or its middle: the first place where
    the label touches neither the series nor a tick label as the narrowest, largest display draws them."""
    ty = chart.target_y
    width = width_pct(chart.target_label, WORST)
    chart_px, font_px = DISPLAYS[WORST]
    # The points' radius, and a little air, in percent of each axis.
    pad_x = (chart.point_radius + 2) / chart_px * 100
    pad_y = (chart.point_radius + 2) / (HEIGHT_REM * font_px / FONT_REM) * 100
    above = ("-.45em", ty - 1.35 * EM_Y, ty - 0.2 * EM_Y)
    below = ("1.15em", ty + 0.3 * EM_Y, ty + 1.45 * EM_Y)
    tick_boxes = []
    for tick in chart.y_ticks:
        left, right = label_span(0, "start", width_pct(tick.label, WORST))
        tick_boxes.append((left, right, tick.y - 1.3 * EM_Y, tick.y - 0.2 * EM_Y))
    path = [(p.x, p.y) for p in chart.points]
    # Sample the line between points so that a segment crossing the label counts, not only its ends.
    samples = list(path)
    for (x1, y1), (x2, y2) in zip(path, path[1:], strict=False):
        samples += [(x1 + (x2 - x1) * k / 40, y1 + (y2 - y1) * k / 40) for k in range(1, 40)]
    candidates = []
    for x, anchor in ((100.0, "end"), (X_START, "start"), ((X_START + 100) / 2, "middle")):
        for dy, top, bottom in (above, below):
            left, right = label_span(x, anchor, width)
            hits = sum(
                left - pad_x <= sx <= right + pad_x and top - pad_y <= sy <= bottom + pad_y for sx, sy in samples
            )
            hits += sum(left < r and l < right and top < b and t < bottom for l, r, t, b in tick_boxes)  # noqa: E741
            if top < 0 or bottom > PLOT_BOTTOM + EM_Y:
                hits += 1000  # outside the plot
            candidates.append((hits, TargetLabel(x, anchor, dy)))
            if not hits:
                return candidates[-1][1]
    return min(candidates, key=lambda c: c[0])[1]


def line_chart(indicator, *, full: bool = True) -> Chart:
    """The indicator's measurements over time with its target drawn as a dashed line."""
    series = indicator.series
    unit = indicator.unit
    chart = Chart(
        _("%(name)s 变化趋势") % {"name": indicator.title},
        _describe(indicator, series),
        ident=f"chart-{indicator.pk}-{'full' if full else 'spark'}",
        full=full,
        unit=unit,
    )
    values = [m.value for m in series] + [indicator.target]
    if indicator.target_max is not None:
        values.append(indicator.target_max)
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    top, bottom = (PLOT_TOP, PLOT_BOTTOM) if full else (8.0, 92.0)
    left, right = (X_START, X_END) if full else (3.0, 97.0)

    def to_y(value: Decimal) -> float:
        return round(bottom - float((value - low) / (high - low)) * (bottom - top), 2)

    chart.y_ticks = [Tick(to_y(v), f"{format_number(v)}{unit}") for v in ticks]
    chart.target_y = to_y(indicator.target)
    chart.target_label = _("目标 %(target)s") % {"target": indicator.target_display}
    if series:
        start, end = series[0].date.toordinal(), series[-1].date.toordinal()
        span = max(end - start, 1)
        for m, short in zip(series, _short_dates(series), strict=True):
            x = left + (right - left) * (m.date.toordinal() - start) / span if len(series) > 1 else (left + right) / 2
            chart.points.append(
                ChartPoint(
                    round(x, 2),
                    to_y(m.value),
                    m.date.isoformat(),
                    format_number(m.value),
                    m.is_sample,
                    short_label=short,
                )
            )
        if len(chart.points) > 1:
            # Keep the first and last date labels inside the picture.
            chart.points[0].anchor, chart.points[-1].anchor = "start", "end"
        chart.polyline = " ".join(f"{p.x},{p.y}" for p in chart.points)
    if full:
        _thin_dates(chart.points)
        chart.target_place = _place_target_label(chart)
    return chart


def sparkline(indicator) -> Chart:
    return line_chart(indicator, full=False)


@dataclass
class Bar:
    label: str
    value: float
    percent: float  # of the widest bar's room
    text: str


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]

    # Each bar is a row of ROW_EM: its label above, the bar below (a phone has no room for both side by side).
    ROW_EM = 2.8

    @property
    def height_em(self) -> float:
        return round(max(len(self.bars), 1) * self.ROW_EM, 2)

    @property
    def rows(self) -> list[tuple[float, float, Bar]]:
        """Each bar with the y (em) of its label's baseline and of its rectangle."""
        top = self.ROW_EM
        return [(round(i * top + 1.05, 2), round(i * top + 1.35, 2), bar) for i, bar in enumerate(self.bars)]


# Room left of the longest bar for its value printed after it.
BAR_ROOM = 78


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "") -> BarChart:
    """Horizontal bars, one per (label, value); the template pairs it with a table of the same numbers."""
    top = max((value for _, value in items), default=0) or 1
    bars = [Bar(label, value, round(BAR_ROOM * value / top, 2), f"{value:g}{unit}") for label, value in items]
    description = ";".join(f"{b.label} {b.text}" for b in bars)
    return BarChart(title, description, bars)
