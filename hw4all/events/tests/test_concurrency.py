import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hw4all.events import services
from hw4all.events.models import EventRegistration, RegistrationStatus

PEOPLE = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_registrations_never_exceed_capacity(make_event):
    event = make_event(registration_open=True, capacity=3)
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def register(number: int) -> None:
        try:
            barrier.wait()
            services.registration_create(
                event=event, name=f"Person {number}", email=f"p{number}@example.org", language="en"
            )
        except (ValidationError, Exception) as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(EventRegistration.objects.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITING) == PEOPLE - 3
