import datetime

import factory
import wagtail_factories
from django.utils import timezone

from .models import EventPage, EventRegistration, RegistrationStatus


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Health workforce dialogue {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    time_zone = "Europe/Brussels"
    venue = "Résidence Palace, Brussels"
    summary = "Civil society and policymakers discuss the WHO Global Code of Practice."
    live = True

    class Meta:
        model = EventPage


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventPageFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    organisation = "Wemos"
    status = RegistrationStatus.CONFIRMED
    language = "en"

    class Meta:
        model = EventRegistration
