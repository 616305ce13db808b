import datetime

import pytest

from hw4all.events.ical import IcsEvent, calendar_render, line_fold, text_escape

WHA_START = datetime.datetime(2013, 5, 22, 17, 45, tzinfo=datetime.UTC)
WHA_END = datetime.datetime(2013, 5, 22, 19, 45, tzinfo=datetime.UTC)


def ics_parse(text: str) -> list[dict[str, str]]:
    """A small reader, independent of the writer: unfold, split, unescape; one dict per component."""
    assert "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[-1] == ""
    components: list[dict[str, str]] = []
    for line in lines[:-1]:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            components.append({"BEGIN": value})
            continue
        value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        components[-1][name] = value
    return components


def test_escaping_and_folding_round_trip():
    description = "Health workers; migration, and the \\ Code.\nSecond line – ünïcödé " * 5
    text = calendar_render(
        [
            IcsEvent(
                uid="abc@hw4all",
                start=WHA_START,
                end=WHA_END,
                summary="A, B; C",
                stamp=WHA_START,
                description=description,
            )
        ]
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar, event = ics_parse(text)
    assert calendar["VERSION"] == "2.0"
    assert event["SUMMARY"] == "A, B; C"
    assert event["DESCRIPTION"] == description
    assert event["DTSTART"] == "20130522T174500Z"
    assert event["DTEND"] == "20130522T194500Z"


def test_fold_never_splits_a_multibyte_character():
    folded = line_fold("DESCRIPTION:" + "é" * 100)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


def test_text_escape():
    assert text_escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


@pytest.mark.django_db
def test_event_ics_download(client, make_event):
    event = make_event(
        title="Side event, WHA66; Geneva",
        start=WHA_START,
        end=WHA_END,
        venue="Palais des Nations",
        address="Geneva",
        summary="Civil society on the WHO Code.\nBring questions.",
    )
    response = client.get(f"{event.url}event.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    _, parsed = ics_parse(response.content.decode())
    assert parsed["SUMMARY"] == "Side event, WHA66; Geneva"
    assert parsed["DTSTART"] == "20130522T174500Z"
    assert parsed["DTEND"] == "20130522T194500Z"
    assert parsed["LOCATION"] == "Palais des Nations, Geneva"
    assert parsed["DESCRIPTION"] == "Civil society on the WHO Code.\nBring questions."
    assert parsed["URL"].endswith(event.url)
    assert parsed["UID"] == f"{event.translation_key}@127.0.0.1"
    assert parsed["DTSTAMP"].endswith("Z")
    again = ics_parse(client.get(f"{event.url}event.ics").content.decode())[1]
    assert again["UID"] == parsed["UID"]


@pytest.mark.django_db
def test_calendar_has_upcoming_and_recent_events_only(client, make_event, events_index):
    make_event(title="Next month", days=30)
    make_event(title="Last month", days=-30)
    make_event(title="Long ago", days=-800)
    make_event(title="Draft", days=5, publish=False)

    response = client.get(f"{events_index.url}calendar.ics")

    assert response.status_code == 200
    calendar, *events = ics_parse(response.content.decode())
    assert calendar["X-WR-CALNAME"].startswith("Events")
    assert [event["SUMMARY"] for event in events] == ["Last month", "Next month"]
    assert len({event["UID"] for event in events}) == 2
    assert f'href="{events_index.url}calendar.ics"' in client.get(events_index.url).content.decode()


@pytest.mark.permission("events:calendar_ics", "public")
@pytest.mark.permission("events:event_ics", "public")
@pytest.mark.django_db
def test_ics_for_unknown_or_draft_event_is_404(client, make_event, events_index):
    make_event(publish=False, slug="draft")
    assert client.get("/en/events/draft/event.ics").status_code == 404
    assert client.get("/en/events/nothing/event.ics").status_code == 404
    assert client.get("/en/nothing/calendar.ics").status_code == 404
