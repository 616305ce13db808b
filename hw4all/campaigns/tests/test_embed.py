"""Partner websites embed the signing form: a framed page, or a plain HTML form posting from
another origin; each records the partner's source code. Editors copy both snippets from the
admin."""

import html as html_lib
import re

import pytest
from django.core import mail
from django.test import Client

from hw4all.campaigns import services
from hw4all.campaigns.admin_views import embed_snippets
from hw4all.campaigns.models import Signature, SignerKind
from hw4all.users.roles import SECRETARIAT
from hw4all.users.services import user_create


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Invest in health workers", summary="x")


@pytest.fixture
def declaration(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(
        index=index, title="Come together", summary="x", kind="declaration", slug="come-together"
    )


@pytest.fixture
def admin_client(client, db):
    client.force_login(
        user_create(email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True)
    )
    return client


def snippet_text(response, element_id):
    match = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    return html_lib.unescape(match.group(1))


def test_the_admin_gives_both_snippets_for_a_source_code(admin_client, petition):
    response = admin_client.get(f"/admin/campaigns/signatures/embed/{petition.pk}/?source=wemos-nl")
    assert response.status_code == 200
    iframe = snippet_text(response, "snippet-iframe")
    site_root = petition.get_site().root_url
    assert iframe.startswith(
        f'<iframe src="{site_root}/en/campaigns/{petition.pk}/sign/?embed=1&amp;source=wemos-nl"'
    )
    assert 'title="Invest in health workers"' in iframe
    plain = snippet_text(response, "snippet-form")
    assert f'action="{site_root}/en/campaigns/{petition.pk}/sign/"' in plain
    assert '<input type="hidden" name="source" value="wemos-nl">' in plain
    for name in ("name", "email", "country", "consent_contact", "public"):
        assert f'name="{name}"' in plain
    assert '<option value="" selected>Choose a country</option>' in plain
    assert 'name="website"' not in plain  # a honeypot the partner cannot hide would catch people
    assert "csrfmiddlewaretoken" not in plain


def test_a_bad_source_code_is_explained(admin_client, petition):
    response = admin_client.get(f"/admin/campaigns/signatures/embed/{petition.pk}/?source=not a slug!")
    assert "snippet-iframe" not in response.content.decode()
    assert "letters, numbers, underscores or hyphens" in response.content.decode()


def test_an_organisation_form_for_declarations(admin_client, declaration):
    response = admin_client.get(
        f"/admin/campaigns/signatures/embed/{declaration.pk}/?source=partner&signer=organisation"
    )
    assert "as=organisation" in snippet_text(response, "snippet-iframe")
    plain = snippet_text(response, "snippet-form")
    assert '<input type="hidden" name="signer_kind" value="organisation">' in plain
    assert 'name="organisation_type"' in plain


def test_the_embedded_form_may_be_framed_and_keeps_the_source(petition):
    response = Client().get(f"/en/campaigns/{petition.pk}/sign/?embed=1&source=wemos-nl")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    page = response.content.decode()
    assert 'name="source" value="wemos-nl"' in page
    assert 'class="site-header"' not in page  # no site chrome inside a partner's page


def test_the_plain_form_posted_from_another_origin_is_accepted_and_records_the_source(petition):
    _iframe, plain = embed_snippets(campaign=petition, source="partner-site")
    action = re.search(r'action="https?://[^/"]+([^"]+)"', plain).group(1)
    # A browser on the partner's page: no cookies of ours, no CSRF token, another Origin.
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        action,
        {
            "name": "Partner Supporter",
            "email": "supporter@example.net",
            "country": "GH",
            "consent_contact": "on",
            "source": "partner-site",
        },
        HTTP_ORIGIN="http://partner.example",
        HTTP_REFERER="http://partner.example/petition.html",
    )
    assert response.status_code == 302
    assert f"/en/campaigns/{petition.pk}/thanks/" in response["Location"]
    signature = Signature.objects.get()
    assert (signature.source, signature.signer_kind, signature.consent_contact) == (
        "partner-site",
        SignerKind.INDIVIDUAL,
        True,
    )
    assert len(mail.outbox) == 1


def test_a_hostile_source_is_refused_with_a_message(petition):
    response = Client().post(
        f"/en/campaigns/{petition.pk}/sign/",
        {"name": "A", "email": "a@example.net", "country": "GH", "source": '"><script>x</script>'},
        HTTP_ORIGIN="http://partner.example",
    )
    assert response.status_code == 400
    assert not Signature.objects.exists()
    assert "<script>x</script>" not in response.content.decode()
    assert "This form was changed on its way here" in response.content.decode()


def test_only_the_secretariat_gets_snippets(client, petition):
    editor = user_create(email="editor@example.org", password="pw", is_staff=True)
    client.force_login(editor)
    response = client.get(f"/admin/campaigns/signatures/embed/{petition.pk}/?source=x")
    assert response.status_code in (302, 403)
    assert "snippet-iframe" not in response.content.decode()
