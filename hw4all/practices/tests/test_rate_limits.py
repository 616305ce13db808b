"""Saving case studies is limited per account and per network; a refused save is given back."""

import pytest
from django.test import Client

from hw4all.practices import services
from hw4all.practices.models import CaseStudy

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "case-writing": "2/1h/account,100/1h/network"}


def test_a_save_over_the_limit_gives_the_text_back(author):
    client = Client()
    client.force_login(author)
    case = services.case_create(user=author, title="Retaining rural nurses")
    url = f"/en/practices/{case.pk}/edit/"
    data = {
        "edit_number": str(case.edit_number),
        "editor": "page-one",
        "title": "Retaining rural nurses",
        "summary": "Housing and career paths kept nurses in rural districts.",
        "context": f"Rural districts lost a third of their nurses.\n\nMost left for towns. {HOSTILE}",
    }
    assert client.post(url, data).status_code in (200, 302)
    assert client.post("/en/practices/new/", {"title": "Another case"}).status_code in (200, 302)

    refused = client.post(url, data)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "You have sent this too many times in a short while" in page
    assert "Rural districts lost a third of their nurses.\n\nMost left for towns. &lt;script&gt;" in page
    assert HOSTILE not in page
    # The editor's own bookkeeping goes back unchanged, so sending again is an ordinary save.
    assert f'<input type="hidden" name="edit_number" value="{case.edit_number}">' in page
    assert CaseStudy.objects.filter(title="Another case").count() == 1
