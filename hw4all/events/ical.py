"""RFC 5545 iCalendar output, written by hand: the subset calendars need is small and exact."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Health Workers for All//hw4all events//EN"


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""


def text_escape(value: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newlines are escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def line_fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space, which counts towards its 75."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _event_lines(event: IcsEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text_escape(event.uid)}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DTEND:{utc_stamp(event.end)}",
        f"SUMMARY:{text_escape(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{text_escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{text_escape(event.location)}")
    if event.url:
        # URL is a URI value, not TEXT: it is written as it is.
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar_render(events: Iterable[IcsEvent], *, name: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{text_escape(name)}")
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(line_fold(line) + CRLF for line in lines)
