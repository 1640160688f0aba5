"""A time series drawn on the server as SVG, with the zone bands behind it: no script, no data leaves the server.

Bands follow the thresholds of the plan version the chart is drawn for; each point keeps the colour of the zone it
was given when reported (judged by the version active then). Colours are paired with text – the zone is named in
each point's title and in the table beside the chart – so colour is never the only carrier of meaning.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Zone

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
# Fills light enough for black text and points on top (contrast for the points is carried by their dark outline).
BAND = {Zone.GREEN: "#e3f4e1", Zone.YELLOW: "#fff1b8", Zone.RED: "#fbd5d5"}
POINT = {Zone.GREEN: "#1b6e20", Zone.YELLOW: "#8a5a00", Zone.RED: "#b00020"}


@dataclass
class Band:
    low: Decimal
    high: Decimal
    zone: str


def bands(parameter, low, high):
    """The zone bands between ``low`` and ``high`` under one plan version's thresholds."""
    cuts = [
        (parameter.red_below, Zone.RED),
        (parameter.yellow_below, Zone.YELLOW),
    ]
    result, start = [], low
    for cut, zone in cuts:
        if cut is not None and cut > start:
            result.append(Band(start, min(cut, high), zone))
            start = min(cut, high)
    upper = [(parameter.yellow_above, Zone.GREEN), (parameter.red_above, Zone.YELLOW)]
    for cut, zone in upper:
        if cut is not None and cut > start:
            result.append(Band(start, min(cut, high), zone))
            start = min(cut, high)
    last = (
        Zone.RED
        if parameter.red_above is not None
        else (Zone.YELLOW if parameter.yellow_above is not None else Zone.GREEN)
    )
    if start < high:
        result.append(Band(start, high, last))
    return result


def render(parameter, reports, title):
    """SVG markup for the reports (oldest first) of one series, drawn against ``parameter``'s thresholds."""
    catalogue = parameter.series.parameter
    if catalogue.is_yes_no:
        low, high = Decimal("-0.5"), Decimal("1.5")
    else:
        values = [r.value for r in reports] + [
            t
            for t in (parameter.red_below, parameter.yellow_below, parameter.yellow_above, parameter.red_above)
            if t is not None
        ]
        low, high = (min(values), max(values)) if values else (catalogue.min_value, catalogue.max_value)
        pad = max((high - low) * Decimal("0.15"), Decimal(1))
        low, high = max(low - pad, catalogue.min_value), min(high + pad, catalogue.max_value)
        if high <= low:
            high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value):
        return TOP + float((high - value) / (high - low)) * plot_h

    times = [r.effective_at.timestamp() for r in reports]
    t0, t1 = (min(times), max(times)) if times else (0, 1)
    span = (t1 - t0) or 1

    def x(report):
        return (
            LEFT + ((report.effective_at.timestamp() - t0) / span) * plot_w if len(reports) > 1 else LEFT + plot_w / 2
        )

    parts = []
    if catalogue.is_yes_no:
        yes = parameter.yes_zone or Zone.GREEN
        drawn = [Band(low, Decimal("0.5"), Zone.GREEN), Band(Decimal("0.5"), high, yes)]
    else:
        drawn = bands(parameter, low, high)
    for band in drawn:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                LEFT,
                _n(y(band.high)),
                plot_w,
                _n(y(band.low) - y(band.high)),
                BAND[band.zone],
            )
        )
    if catalogue.is_yes_no:
        ticks = [(Decimal(0), _("Nei")), (Decimal(1), _("Ja"))]
    else:
        ticks = [(tick, _short(tick)) for tick in sorted({low, high, *(b.low for b in drawn)})]
    for tick, label in ticks:
        if label:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#1f1f1f">{}</text>',
                    LEFT - 6,
                    _n(y(tick) + 4),
                    label,
                )
            )
    if len(reports) > 1:
        points = " ".join(f"{x(r):.1f},{y(r.value):.1f}" for r in reports)
        parts.append(format_html('<polyline points="{}" fill="none" stroke="#333333" stroke-width="1.5"/>', points))
    for report in reports:
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="5" fill="{}" stroke="#111111" stroke-width="1">'
                "<title>{}: {} ({})</title></circle>",
                _n(x(report)),
                _n(y(report.value)),
                POINT.get(report.zone, "#333333"),
                date_format(report.effective_at, "SHORT_DATETIME_FORMAT"),
                report.shown_value(),
                report.get_zone_display(),
            )
        )
    if reports:
        for report, anchor in (
            ((reports[0], "start"), (reports[-1], "end")) if len(reports) > 1 else ((reports[0], "middle"),)
        ):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="{}" font-size="12" fill="#1f1f1f">{}</text>',
                    _n(x(report)),
                    HEIGHT - 14,
                    anchor,
                    date_format(report.effective_at, "j. M"),
                )
            )
    description = _("%(n)s målinger. Bakgrunnen viser sonene: grønn, gul og rød.") % {"n": len(reports)}
    return format_html(
        '<svg class="lkt-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        f"chart-{parameter.series_id}",
        f"chart-{parameter.series_id}",
        f"chart-{parameter.series_id}",
        title,
        f"chart-{parameter.series_id}",
        description,
        mark_safe("".join(str(p) for p in parts)),  # noqa: S308 – every part is built by format_html
    )


def _n(number):
    return f"{number:.1f}"


def _short(value):
    return f"{value.normalize():f}".replace(".", ",")


def legend():
    return format_html_join(
        "",
        '<li><span class="lkt-swatch lkt-swatch--{}" aria-hidden="true"></span>{}</li>',
        [(zone.value, zone.label) for zone in Zone],
    )
