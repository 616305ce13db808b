"""Event times as people read them: one line, in a named zone."""

import zoneinfo
from datetime import datetime

from django.utils.dateformat import format as date_format

# A 24-hour clock and the day before the month read the same in every language we serve.
DATE = "j F Y"
TIME = "H:i"


def time_range(start: datetime, end: datetime, zone_name: str) -> str:
    """'22 May 2013, 19:45–21:45 CEST (Europe/Zurich)'; the end's date is repeated only when it
    falls on another day in that zone."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    text = f"{date_format(local_start, DATE)}, {date_format(local_start, TIME)}–"
    if local_end.date() != local_start.date():
        text += f"{date_format(local_end, DATE)}, "
    text += date_format(local_end, TIME)
    abbreviation = local_start.strftime("%Z")
    if abbreviation[:1] in "+-":
        # Zones without a common abbreviation report a bare offset such as "-03".
        abbreviation = f"UTC{abbreviation}"
    if zone_name in ("UTC", abbreviation):
        return f"{text} {zone_name}"
    return f"{text} {abbreviation} ({zone_name})"
