"""Hostile input: script in every field shows as text, Markdown keeps no script nor javascript:
link, forms refuse a POST without the CSRF token, and an oversized text is refused with a
message while everything typed stays in the form."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.forum.models import Proposal
from hw4all.forum.services import access
from hw4all.forum.services import proposals as services

from .test_proposals import fields, opened, posted

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def test_script_in_every_field_is_shown_as_text(client, open_space, member, open_member, steering):
    participant = access.participant_for(member)
    participant.display_name = f"Eve {SCRIPT}"
    participant.save()
    hostile = {
        "title": f"Title {SCRIPT}",
        "problem": f"Problem {SCRIPT} <img src=x onerror=alert(2)>",
        "proposed": "[click](javascript:alert(3)) and [ok](https://example.org)",
        "addressees": ["other"],
        "addressee_detail": f"Detail {SCRIPT}",
    }
    proposal = opened(open_space, member, **hostile)
    services.proposal_edit(
        proposal=proposal,
        user=member,
        edit_number=proposal.edit_number,
        fields=fields(**hostile | {"title": f"Second {SCRIPT}", "problem": f"Changed {SCRIPT}"}),
    )
    services.proposal_decide(proposal=proposal, user=steering, status="declined", reasons=f"Reasons {SCRIPT}")
    client.force_login(open_member)
    for url in (
        proposal.get_absolute_url(),
        reverse("forum:proposal_list", args=[open_space.slug]),
        reverse("forum:proposal_versions", args=[proposal.pk]),
        reverse("forum:proposal_diff", args=[proposal.pk]) + "?from=1&to=2",
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img" not in page, url
        assert 'href="javascript' not in page.lower(), url
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page.lower()
    assert '<a href="https://example.org"' in page
    client.force_login(member)
    form = client.get(reverse("forum:proposal_authors", args=[proposal.pk])).content.decode()
    assert "<script>alert" not in form


def test_every_form_needs_the_csrf_token(open_space, member, open_member, steering):
    proposal = opened(open_space, member)
    csrf_client = Client(enforce_csrf_checks=True)
    for user, url, data in (
        (member, reverse("forum:proposal_create", args=[open_space.slug]), posted()),
        (
            member,
            reverse("forum:proposal_edit", args=[proposal.pk]),
            posted(edit_number=str(proposal.edit_number)),
        ),
        (
            member,
            reverse("forum:proposal_authors", args=[proposal.pk]),
            {"action": "add", "identifier": open_member.email},
        ),
        (member, reverse("forum:proposal_status", args=[proposal.pk]), {"action": "withdraw"}),
        (open_member, reverse("forum:proposal_support", args=[proposal.pk]), {"action": "support"}),
        (
            steering,
            reverse("forum:proposal_decide", args=[proposal.pk]),
            {"decision": "adopted", "reasons": "Yes."},
        ),
    ):
        csrf_client.force_login(user)
        assert csrf_client.post(url, data).status_code == 403, url
    proposal.refresh_from_db()
    assert proposal.status == "open" and proposal.support_count == 0
    assert Proposal.objects.count() == 1 and proposal.authors.count() == 1


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("title", services.TITLE_MAX + 1),
        ("problem", services.TEXT_MAX + 1),
        ("proposed", services.TEXT_MAX + 1),
    ],
)
def test_oversized_text_is_refused_and_kept(client, open_space, member, name, size):
    client.force_login(member)
    long_text = "word " * (size // 5 + 1)
    response = client.post(
        reverse("forum:proposal_create", args=[open_space.slug]),
        posted(**{name: long_text, "addressee_detail": "Kept detail"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "At most" in page and "characters; this has" in page
    assert long_text.strip() in page
    assert "Kept detail" in page
    assert not Proposal.objects.exists()


def test_oversized_reasons_are_refused_and_kept(client, open_space, member, steering):
    proposal = opened(open_space, member)
    client.force_login(steering)
    reasons = "because " * 700
    response = client.post(
        reverse("forum:proposal_decide", args=[proposal.pk]), {"decision": "adopted", "reasons": reasons}
    )
    page = response.content.decode()
    assert "At most 5000 characters" in page
    assert reasons.strip() in page
    proposal.refresh_from_db()
    assert proposal.status == "open"
