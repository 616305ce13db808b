"""The signing fast path (campaigns.middleware) answers a valid signature exactly as the view
behind the whole middleware stack does, and hands everything else to the stack undecided or
decided once."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hw4all.campaigns import services, views
from hw4all.campaigns.middleware import SIGN_PATH
from hw4all.campaigns.models import Signature

FAST_PATH = "hw4all.campaigns.middleware.SigningFastPathMiddleware"


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


def client_without_fast_path(settings) -> Client:
    settings.MIDDLEWARE = [name for name in django_settings.MIDDLEWARE if name != FAST_PATH]
    # A client loads the middleware at its first request: a new one sees the stack without it.
    return Client()


def post(client, path, **fields):
    data = {"name": "Amina Diallo", "email": "amina@example.org", "country": "KE", "public": "on", **fields}
    return client.post(path, data, REMOTE_ADDR="192.0.2.1")


def went_through_the_stack(response) -> bool:
    # AuthenticationMiddleware, further in, gives every request it sees a user.
    return hasattr(response.wsgi_request, "user")


@pytest.mark.parametrize("language", [code for code, _name in django_settings.LANGUAGES])
def test_the_pattern_is_the_signing_url_in_every_language(language):
    with translation.override(language):
        path = reverse("campaigns:signature_create", kwargs={"campaign_id": 12345})
    match = SIGN_PATH.fullmatch(path)
    assert match is not None and (match[1], match[2]) == (language, "12345")


@pytest.mark.parametrize(("language", "fields"), [("en", {}), ("fr", {}), ("es", {"embed": "1"})])
def test_a_valid_signature_gets_the_answer_the_view_gives(client, settings, petition, language, fields):
    path = f"/{language}/campaigns/{petition.pk}/sign/"
    fast = post(client, path, email="fast@example.org", **fields)
    slow = post(client_without_fast_path(settings), path, email="slow@example.org", **fields)

    assert (went_through_the_stack(fast), went_through_the_stack(slow)) == (False, True)
    assert fast.status_code == slow.status_code == 302
    assert dict(fast.headers) == dict(slow.headers)
    expected = f"/{language}/campaigns/{petition.pk}/thanks/" + ("?embed=1" if fields else "")
    assert fast["Location"] == expected
    assert not fast.cookies
    stored = {signature.email: signature.language for signature in Signature.objects.all()}
    assert stored == {"fast@example.org": language, "slow@example.org": language}
    assert sorted(message.to[0] for message in mail.outbox) == ["fast@example.org", "slow@example.org"]


def test_the_honeypot_is_answered_alike_and_stores_nothing(client, petition):
    response = post(client, f"/en/campaigns/{petition.pk}/sign/", website="http://spam.example")
    assert response.status_code == 302 and not went_through_the_stack(response)
    assert not Signature.objects.exists()


def test_a_post_with_errors_is_shown_by_the_view_with_what_was_typed(client, petition):
    response = post(client, f"/fr/campaigns/{petition.pk}/sign/", email="not an address", name="Zoé")
    assert response.status_code == 400 and went_through_the_stack(response)
    assert "Zoé" in response.content.decode()
    assert response.headers["Content-Language"] == "fr"
    assert not Signature.objects.exists()


def test_a_browsers_urlencoded_post_and_a_query_string_take_the_fast_path(client, petition):
    response = client.post(
        f"/en/campaigns/{petition.pk}/sign/?source=partner",
        "name=Amina+Diallo&email=amina%40example.org&country=KE",
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="192.0.2.1",
    )
    assert response.status_code == 302 and not went_through_the_stack(response)
    assert Signature.objects.get().email == "amina@example.org"


def test_what_the_fast_path_does_not_take_reaches_the_view(client, petition):
    unknown_campaign = post(client, f"/en/campaigns/{petition.pk + 1000}/sign/")
    assert unknown_campaign.status_code == 404 and went_through_the_stack(unknown_campaign)
    unknown_language = post(client, f"/xx/campaigns/{petition.pk}/sign/")
    assert unknown_language["Location"] == f"/en/xx/campaigns/{petition.pk}/sign/"
    assert went_through_the_stack(unknown_language)
    page = client.get(f"/en/campaigns/{petition.pk}/sign/")
    assert page.status_code == 200 and went_through_the_stack(page)
    assert not Signature.objects.exists()


def test_an_oversized_body_gets_the_stacks_400(client, petition, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, f"/en/campaigns/{petition.pk}/sign/", city="c" * 2000)
    assert response.status_code == 400 and went_through_the_stack(response)
    assert not Signature.objects.exists()


def test_a_refused_post_is_counted_once(client, petition, monkeypatch):
    monkeypatch.setattr(views, "NETWORK_LIMIT", (2, 3600))
    path = f"/en/campaigns/{petition.pk}/sign/"
    assert [post(client, path, email=f"p{n}@example.org").status_code for n in range(3)] == [302, 302, 429]
    # Had the view counted the refused post a second time, the window would hold 4 by now.
    monkeypatch.setattr(views, "NETWORK_LIMIT", (4, 3600))
    assert post(client, path, email="p3@example.org").status_code == 302
    assert post(client, path, email="p4@example.org").status_code == 429
    assert Signature.objects.count() == 3
