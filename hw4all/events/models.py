import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hw4all.core.blocks import BodyBlock

from .structured_data import event_structured_data
from .timefmt import time_range

TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())


class EventIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["events.EventPage"]
    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event index page")

    @path("")
    def index_view(self, request):
        from .views import event_index

        return event_index(request, self)

    @property
    def calendar_url(self) -> str:
        """Served by events.urls: Wagtail's page routes cannot end in a file name."""
        return f"{self.url}calendar.ics"


class EventPage(RoutablePageMixin, Page):
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("The zone the event's times are announced in."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    country = CountryField(
        _("country"), blank=True, help_text=_("Where it takes place; its country's feed lists it.")
    )
    summary = models.TextField(_("summary"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    programme = RichTextField(_("programme"), blank=True)
    organisers = ParentalManyToManyField(
        "coalition.Organisation", verbose_name=_("organisers"), blank=True, related_name="organised_events"
    )
    co_promoters = ParentalManyToManyField(
        "coalition.Organisation",
        verbose_name=_("co-promoters"),
        blank=True,
        related_name="co_promoted_events",
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no registration limit.")
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    recording_url = models.URLField(_("recording"), blank=True)
    resources = RichTextField(_("resources after the event"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("time_zone")],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("country"), FieldPanel("online_url")],
            heading=_("Where"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("programme"),
        MultiFieldPanel([FieldPanel("organisers"), FieldPanel("co_promoters")], heading=_("Who")),
        MultiFieldPanel([FieldPanel("registration_open"), FieldPanel("capacity")], heading=_("Registration")),
        MultiFieldPanel([FieldPanel("recording_url"), FieldPanel("resources")], heading=_("After the event")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("venue"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def has_ended(self) -> bool:
        return self.end < timezone.now()

    @property
    def when_local(self) -> str:
        return time_range(self.start, self.end, self.time_zone)

    @property
    def when_utc(self) -> str:
        return time_range(self.start, self.end, "UTC")

    def structured_data(self, request) -> dict:
        return event_structured_data(self, request)

    @property
    def ics_url(self) -> str:
        """Served by events.urls: Wagtail's page routes cannot end in a file name."""
        return f"{self.url}event.ics"

    @path("")
    def event_view(self, request):
        from .views import event_detail

        return event_detail(request, self)

    @path("register/")
    def register_view(self, request):
        from .views import registration_form

        return registration_form(request, self)

    @path("register/thanks/")
    def register_thanks_view(self, request):
        from .views import registration_thanks

        return registration_thanks(request, self)

    @path("registration/")
    def registration_view(self, request):
        from .views import registration_manage

        return registration_manage(request, self)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class EventRegistration(models.Model):
    # The event page shows places left, so a registration makes cached pages stale.
    invalidates_page_cache = True
    # Registrations are people, not content: Wagtail's "usage" listing of an event gains
    # nothing from them.
    wagtail_reference_index_ignore = True

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="unique_registration_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"
