"""A supporter signs, confirms from the emailed link with a POST, is counted, and can withdraw."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature, SignatureStatus
from hw4all.campaigns.queries import campaign_counts_compute


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(
        index=index, title="Invest in health workers", summary="Fund the workforce."
    )


def sign(client, campaign, **overrides):
    data = {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "country": "KE",
        "public": "on",
        **overrides,
    }
    return client.post(f"/en/campaigns/{campaign.pk}/sign/", data)


def link_from(message, kind):
    return re.search(rf"https?://[^/\s]+(/en/signatures/{kind}/[^\s]+)", message.body).group(1)


def test_sign_confirm_count_withdraw(client, petition):
    response = sign(client, petition)
    assert response.status_code == 302
    assert Signature.objects.get().status == SignatureStatus.PENDING
    assert campaign_counts_compute(campaign_id=petition.pk).total == 0
    assert len(mail.outbox) == 1
    confirm = link_from(mail.outbox[0], "confirm")

    assert client.get(confirm).status_code == 200
    assert Signature.objects.get().status == SignatureStatus.PENDING  # a GET (a mail scanner) changes nothing
    assert client.post(confirm).status_code == 200
    assert Signature.objects.get().status == SignatureStatus.CONFIRMED
    counts = campaign_counts_compute(campaign_id=petition.pk)
    assert (counts.total, counts.by_country) == (1, [("KE", 1)])

    client.post(link_from(mail.outbox[0], "withdraw"))
    assert campaign_counts_compute(campaign_id=petition.pk).total == 0


def test_signing_twice_gives_the_same_answer_and_one_signature(client, petition):
    first = sign(client, petition)
    second = sign(client, petition, email="  AMINA@Example.ORG ", name="Someone else")
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert Signature.objects.count() == 1
    assert Signature.objects.get().name == "Amina Diallo"
    assert len(mail.outbox) == 1  # the confirmation is sent again at most once an hour


def test_the_honeypot_stores_nothing_but_answers_alike(client, petition):
    response = sign(client, petition, website="http://spam.example")
    assert response.status_code == 302
    assert not Signature.objects.exists()


def test_signing_leaves_no_session_and_no_cookie(client, petition):
    # A viral petition's signers must not each cost a stored session (nor be tracked by one).
    response = sign(client, petition)
    assert response.status_code == 302
    assert not response.cookies
    assert not Session.objects.exists()
