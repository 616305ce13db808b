"""Charts of the results drawn on the server as inline SVG: no script, no extra request, and
readable by assistive technology (role="img" with a title and a description that holds the
figures; the pages add a data table beside each chart).

The SVG scales to its container (a viewBox and no fixed size); its colours come from the
stylesheet's classes, with plain fills as a fallback."""

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .analysis import Bin, ChoiceCount

# Drawn for a phone's width: on a wider screen the stylesheet caps the chart's size, so its
# text stays between about 11 and 17 pixels.
WIDTH = 400
BAR_AREA = 290
ROW_HEIGHT = 46
LABEL_CHARACTERS = 54
HISTOGRAM_HEIGHT = 200
# More bins than this and each range is named by its lower bound alone, or the names overlap.
NAMED_RANGES = 5
FILL = "#005a70"


def percent_text(value: float) -> str:
    return _("%(percent)s%%") % {"percent": number_format(value, decimal_pos=1)}


def count_text(count: int, percent: float) -> str:
    return f"{number_format(count, force_grouping=True)} ({percent_text(percent)})"


def number_text(value: float) -> str:
    if float(value).is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 2), decimal_pos=2, force_grouping=True)


def _short(text: str) -> str:
    # SVG text does not wrap: a long label is cut here; the data table holds it whole.
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def _frame(chart_id: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>{body}</svg>',
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        body=body,
    )


def bar_chart(counts: Sequence[ChoiceCount], *, chart_id: str, title: str) -> SafeString:
    """Horizontal bars, one per choice, each with its label above and its count and percentage
    (of the responses that answered) after it."""
    largest = max((count.count for count in counts), default=0) or 1
    rows = []
    for index, count in enumerate(counts):
        top = index * ROW_HEIGHT
        length = round(BAR_AREA * count.count / largest)
        rows.append(
            (
                top + 16,
                _short(count.label),
                top + 22,
                max(length, 1) if count.count else 0,
                length + 8,
                top + 36,
                count_text(count.count, count.percent),
            )
        )
    body = format_html_join(
        "",
        '<g><text class="chart__label" font-size="14" x="0" y="{}">{}</text>'
        '<rect class="chart__bar" fill="' + FILL + '" x="0" y="{}" width="{}" height="18" rx="2"></rect>'
        '<text class="chart__value" font-size="13" x="{}" y="{}">{}</text></g>',
        rows,
    )
    description = "; ".join(f"{count.label}: {count_text(count.count, count.percent)}" for count in counts)
    return _frame(chart_id, title, description, max(len(counts), 1) * ROW_HEIGHT, body)


def bin_label(bin: Bin) -> str:
    if bin.low == bin.high:
        return number_text(bin.low)
    return f"{number_text(bin.low)}–{number_text(bin.high)}"


def histogram(bins: Sequence[Bin], *, chart_id: str, title: str) -> SafeString:
    """Vertical bars, one per range of values, with their counts above and ranges below."""
    largest = max((b.count for b in bins), default=0) or 1
    plot_height = HISTOGRAM_HEIGHT - 60
    width = WIDTH / max(len(bins), 1)
    named = len(bins) <= NAMED_RANGES
    bars = []
    for index, current in enumerate(bins):
        height = round(plot_height * current.count / largest)
        x = round(index * width + 2)
        bars.append(
            (
                x,
                20 + plot_height - height,
                max(round(width - 4), 1),
                height,
                round(x + width / 2 - 2),
                14 + plot_height - height,
                number_text(current.count),
                round(x + width / 2 - 2) if named else x,
                plot_height + 40,
                "middle" if named else "start",
                bin_label(current) if named else number_text(current.low),
            )
        )
    body = format_html_join(
        "",
        '<g><rect class="chart__bar" fill="' + FILL + '" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart__value" font-size="13" x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text class="chart__label chart__label--small" font-size="12" x="{}" y="{}" text-anchor="{}">{}</text>'
        "</g>",
        bars,
    )
    axis = format_html(
        '<line class="chart__axis" x1="0" x2="{}" y1="{}" y2="{}" stroke="#4a5363"></line>',
        WIDTH,
        20 + plot_height,
        20 + plot_height,
    )
    description = "; ".join(f"{bin_label(b)}: {number_text(b.count)}" for b in bins)
    return _frame(chart_id, title, description, HISTOGRAM_HEIGHT, format_html("{}{}", body, axis))
