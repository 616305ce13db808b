"""iCalendar files beside the pages they belong to. Wagtail's page routes all end in a slash, so
`<event url>event.ics` and `<index url>calendar.ics` are matched here, before Wagtail's own."""

from django.urls import re_path

from . import views

app_name = "events"

PAGE_PATH = r"(?P<path>(?:[\w\-]+/)+)"

urlpatterns = [
    re_path(rf"^{PAGE_PATH}event\.ics$", views.event_ics, name="event_ics"),
    re_path(rf"^{PAGE_PATH}calendar\.ics$", views.calendar_ics, name="calendar_ics"),
]
