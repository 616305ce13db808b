import pytest
from django.core import mail
from django.test import Client

from hw4all.coalition.models import MembershipApplication

URL = "/en/join/"


def valid_data(**overrides):
    data = {
        "organisation_name": "Nurses Without Borders",
        "acronym": "NWB",
        "country": "KE",
        "type": "professional",
        "website": "https://nurses.example.org/",
        "description": "We represent nurses and midwives in East Africa.",
        "contact_name": "Wanjiru Kamau",
        "contact_email": "wanjiru@nurses.example.org",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_form_has_labels_and_csrf(client):
    html = client.get(URL).content.decode()
    for name in (
        "organisation_name",
        "acronym",
        "country",
        "type",
        "website",
        "description",
        "contact_name",
        "contact_email",
        "consent",
    ):
        assert f'<label for="id_{name}"' in html, name
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_valid_application_is_stored_and_acknowledged(client, settings):
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert response["Location"] == "/en/join/thanks/"
    application = MembershipApplication.objects.get()
    assert application.status == "pending"
    assert application.language == "en"
    assert application.consented_at is not None
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(["wanjiru@nurses.example.org", settings.SECRETARIAT_EMAIL])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_applicant_is_answered_in_their_language(client, settings):
    client.post("/fr/join/", valid_data(country="DE"))
    assert MembershipApplication.objects.get().language == "fr"
    acknowledgement = next(m for m in mail.outbox if m.to == ["wanjiru@nurses.example.org"])
    notice = next(m for m in mail.outbox if m.to == [settings.SECRETARIAT_EMAIL])
    assert "Allemagne" in acknowledgement.body
    assert "/fr/members/" in acknowledgement.body
    assert "Germany" in notice.body
    # The secretariat works in English whatever the applicant's language.
    assert notice.subject == "New membership application: Nurses Without Borders"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_name", ""),
        ("country", ""),
        ("country", "ZZ"),
        ("type", "cartel"),
        ("website", "not a url"),
        ("website", "javascript:alert(1)"),
        ("description", ""),
        ("contact_name", ""),
        ("contact_email", ""),
        ("contact_email", "not-an-email"),
        ("consent", ""),
    ],
)
@pytest.mark.django_db
def test_each_invalid_field_is_reported_next_to_it_and_input_kept(client, field, value):
    data = valid_data(**{field: value})
    if field == "consent":
        del data["consent"]
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Wanjiru Kamau"' in html or field == "contact_name"
    assert not MembershipApplication.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_oversized_description_is_refused(client):
    response = client.post(URL, valid_data(description="x" * 2001))
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
def test_post_without_csrf_token_is_rejected():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, valid_data())
    assert response.status_code == 403
    assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
def test_hostile_input_is_escaped_when_the_form_is_shown_again(client, hostile):
    data = valid_data(**dict.fromkeys(("organisation_name", "description", "contact_name"), hostile))
    data["acronym"] = "<b>x</b>"
    data["contact_email"] = "bad"
    html = client.post(URL, data).content.decode()
    assert "<script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_emails_are_plain_text_with_a_single_line_subject(client, hostile):
    client.post(
        URL, valid_data(organisation_name=f"Evil\nBcc: victim@example.org {hostile}", description=hostile)
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        # Text only: nothing in it is interpreted as HTML by a mail client.
        assert message.alternatives == []
        assert "\n" not in message.subject
        assert "victim@example.org" not in message.to + message.cc + message.bcc
