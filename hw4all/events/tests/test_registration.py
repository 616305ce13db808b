import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from hw4all.events import services
from hw4all.events.models import EventRegistration, RegistrationStatus

pytestmark = pytest.mark.django_db


def register(event, email: str, name: str = "Amina Diallo", language: str = "en") -> EventRegistration:
    return services.registration_create(
        event=event, name=name, email=email, organisation="", language=language
    )


def manage_link(message) -> str:
    url = re.search(r"https?://\S+registration/\?token=\S+", message.body).group(0)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def form_data(**overrides) -> dict:
    return {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "organisation": "AMREF",
        "consent": "on",
    } | overrides


def test_confirmed_while_places_remain_then_waiting(make_event):
    event = make_event(capacity=2, registration_open=True)
    first, second, third = (register(event, f"p{n}@example.org") for n in range(3))
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert mail.outbox[0].subject.startswith("Your registration is confirmed")
    assert mail.outbox[2].subject.startswith("You are on the waiting list")
    assert mail.outbox[2].to == ["p2@example.org"]


def test_no_limit_means_everyone_is_confirmed(make_event):
    event = make_event(capacity=None, registration_open=True)
    assert all(register(event, f"p{n}@example.org").status == "confirmed" for n in range(5))


def test_same_email_twice_is_refused_whatever_the_case(make_event):
    event = make_event(registration_open=True)
    register(event, "amina@example.org")
    with pytest.raises(ValidationError) as error:
        register(event, " Amina@Example.org ")
    assert "already registered" in str(error.value.message_dict["email"])
    assert EventRegistration.objects.count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"registration_open": False}, "closed"),
        ({"registration_open": True, "days": -3}, "ended"),
        ({"registration_open": True, "capacity": 0}, "no registrations"),
    ],
)
def test_closed_past_and_zero_capacity_are_refused(make_event, client, options, message):
    event = make_event(**options)
    with pytest.raises(ValidationError, match=message):
        register(event, "amina@example.org")
    response = client.post(f"{event.url}register/", form_data())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EventRegistration.objects.exists()
    assert not mail.outbox


def test_form_registers_redirects_and_emails_in_the_visitors_language(client, make_event):
    event = make_event(registration_open=True, capacity=10)
    form_page = client.get(f"{event.url}register/")
    assert b"csrfmiddlewaretoken" in form_page.content
    assert "no-store" in form_page["Cache-Control"]

    response = client.post(f"{event.url}register/", form_data())

    assert response.status_code == 302
    assert response["Location"] == f"{event.url}register/thanks/?status=confirmed"
    assert "is confirmed" in client.get(response["Location"]).content.decode()
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.email, registration.organisation) == (
        "Amina Diallo",
        "amina@example.org",
        "AMREF",
    )
    assert registration.language == "en"
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "Dear Amina Diallo," in mail.outbox[0].body
    assert "9 places left." in client.get(event.url).content.decode()


def test_form_keeps_what_was_typed_and_explains_errors(client, make_event):
    event = make_event(registration_open=True)
    response = client.post(f"{event.url}register/", form_data(email="not-an-email", consent=""))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Amina Diallo"' in content
    assert 'value="not-an-email"' in content
    assert "Enter a valid email address." in content
    assert "agree that we store these details" in content
    assert not EventRegistration.objects.exists()


def test_duplicate_through_the_form_is_a_field_error(client, make_event):
    event = make_event(registration_open=True)
    client.post(f"{event.url}register/", form_data())
    response = client.post(f"{event.url}register/", form_data(name="Someone else"))
    assert response.status_code == 200
    assert "already registered for this event" in response.content.decode()
    assert 'value="Someone else"' in response.content.decode()


def test_full_event_offers_the_waiting_list(client, make_event):
    event = make_event(registration_open=True, capacity=1)
    register(event, "first@example.org")
    assert "Join the waiting list" in client.get(event.url).content.decode()
    response = client.post(f"{event.url}register/", form_data())
    assert response["Location"].endswith("?status=waiting")
    assert "waiting list" in client.get(response["Location"]).content.decode()


def test_csrf_is_enforced(make_event):
    event = make_event(registration_open=True)
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(f"{event.url}register/", form_data())
    assert response.status_code == 403
    assert not EventRegistration.objects.exists()


def test_cancel_link_frees_the_place_and_promotes_the_first_waiting(client, make_event):
    event = make_event(registration_open=True, capacity=1)
    register(event, "first@example.org", language="fr")
    register(event, "second@example.org")
    register(event, "third@example.org")
    link = manage_link(mail.outbox[0])
    mail.outbox.clear()

    page = client.get(link)
    assert page.status_code == 200
    assert "Cancel my registration" in page.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(f"{event.url}registration/", {"token": token})

    assert response.status_code == 302
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": RegistrationStatus.CANCELLED,
        "second@example.org": RegistrationStatus.CONFIRMED,
        "third@example.org": RegistrationStatus.WAITING,
    }
    assert [message.to for message in mail.outbox] == [["second@example.org"]]
    assert "A place has become free" in mail.outbox[0].body
    assert "Cancelled" in client.get(response["Location"]).content.decode()
    client.post(f"{event.url}registration/", {"token": token})
    assert EventRegistration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_cancelling_a_waiting_registration_promotes_nobody(make_event):
    event = make_event(registration_open=True, capacity=1)
    register(event, "first@example.org")
    waiting = register(event, "second@example.org")
    assert services.registration_cancel(registration=waiting) is None
    assert EventRegistration.objects.get(email="first@example.org").status == RegistrationStatus.CONFIRMED


def test_confirmation_email_is_in_the_registrants_language(make_event):
    event = make_event(registration_open=True)
    registration = register(event, "amina@example.org", language="fr")
    assert registration.language == "fr"
    assert mail.outbox[0].to == ["amina@example.org"]


@pytest.mark.parametrize("token", ["", "nonsense", "eyJhIjoxfQ:forged:signature"])
def test_bad_token_is_refused(client, make_event, token):
    event = make_event(registration_open=True)
    register(event, "amina@example.org")
    assert client.get(f"{event.url}registration/?token={token}").status_code == 400
    assert client.post(f"{event.url}registration/", {"token": token}).status_code == 400
    assert EventRegistration.objects.get().status == RegistrationStatus.CONFIRMED


def test_token_of_another_event_is_refused(client, make_event):
    event = make_event(registration_open=True, slug="one")
    other = make_event(registration_open=True, slug="other")
    register(event, "amina@example.org")
    path = manage_link(mail.outbox[0]).replace("/one/", "/other/")
    assert client.get(path).status_code == 400
    assert other.pk


def test_hostile_name_and_organisation(client, make_event):
    hostile = "<script>alert(1)</script>"
    event = make_event(registration_open=True)
    response = client.post(f"{event.url}register/", form_data(name=hostile, organisation=hostile, email="x@"))
    assert hostile not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()

    register(event, "amina@example.org", name=hostile)
    message = mail.outbox[0]
    # Plain text only: no HTML part in which markup could run; the name is shown as typed.
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", [])
    assert hostile not in message.subject
    page = client.get(manage_link(message)).content.decode()
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
