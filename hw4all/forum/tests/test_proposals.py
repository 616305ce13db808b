"""A member writes a proposal with co-authors, opens it, edits it into new versions that anyone
can compare, and the Steering Committee decides on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hw4all.forum.models import (
    Activity,
    ActivityKind,
    Notification,
    Proposal,
    ProposalStatus,
    ProposalVersion,
)
from hw4all.forum.services import access
from hw4all.forum.services import proposals as services
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Status
from hw4all.practices.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def fields(**overrides) -> dict:
    return {
        "title": "Bilateral agreements that train two nurses for each one recruited",
        "problem": "Kenya trains nurses who **leave** within two years.",
        "proposed": "- Ask ministries to sign agreements\n- Fund training in the source country",
        "addressees": ["government", "who"],
        "addressee_detail": "",
        "level": "global",
        "countries": ["KE", "GB"],
        "code_articles": [5],
        "case_studies": [],
        "resources": [],
    } | overrides


def posted(**overrides) -> dict:
    data = fields(**overrides)
    return {name: value for name, value in data.items() if value not in ([], None)}


def draft(space, author, **overrides) -> Proposal:
    return services.proposal_create(space=space, user=author, fields=fields(**overrides))


def opened(space, author, **overrides) -> Proposal:
    return services.proposal_open(proposal=draft(space, author, **overrides), user=author)


def text(response) -> str:
    return response.content.decode()


# Writing


def test_a_member_writes_a_draft_only_its_authors_see(client, open_space, member, open_member):
    case = CaseStudyFactory(published=True, title="Rural retention in Kenya")
    resource = ResourceFactory(title="Nurses on the move", status=Status.PUBLISHED)
    client.force_login(member)
    response = client.post(
        reverse("forum:proposal_create", args=[open_space.slug]),
        posted(case_studies=[case.pk], resources=[resource.pk]),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.DRAFT
    assert list(proposal.authors.all()) == [member]
    assert list(proposal.case_studies.all()) == [case]
    assert list(proposal.resources.all()) == [resource]
    page = text(client.get(proposal.get_absolute_url()))
    assert "only its authors and the Secretariat see it" in page
    assert "<strong>leave</strong>" in page
    assert "Rural retention in Kenya" in page and "Nurses on the move" in page
    assert "Article 5: Health workforce development" in page

    client.force_login(open_member)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    listing = text(client.get(reverse("forum:proposal_list", args=[open_space.slug])))
    assert proposal.title not in listing


def test_the_form_lists_published_case_studies_only_and_refuses_others(client, open_space, member):
    CaseStudyFactory(published=True, title="Published case")
    hidden = CaseStudyFactory(title="Unpublished case")
    client.force_login(member)
    page = text(client.get(reverse("forum:proposal_create", args=[open_space.slug])))
    assert "Published case" in page and "Unpublished case" not in page
    with pytest.raises(ValidationError) as error:
        draft(open_space, member, case_studies=[hidden.pk])
    assert "case_studies" in error.value.message_dict


def test_resources_are_found_by_title_without_javascript_and_nothing_typed_is_lost(
    client, open_space, member
):
    ResourceFactory(title="Health worker migration in Africa", status=Status.PUBLISHED)
    ResourceFactory(title="Migration of draft things", status=Status.SUBMITTED)
    client.force_login(member)
    response = client.post(
        reverse("forum:proposal_create", args=[open_space.slug]),
        posted(title="Typed title", resource_query="migration", find_resources="1"),
    )
    page = text(response)
    assert response.status_code == 200
    assert "Health worker migration in Africa" in page
    assert "Migration of draft things" not in page
    assert 'value="Typed title"' in page
    assert "Please correct" not in page
    assert not Proposal.objects.exists()


def test_other_addressee_needs_details_and_errors_keep_the_text(client, open_space, member):
    client.force_login(member)
    response = client.post(
        reverse("forum:proposal_create", args=[open_space.slug]),
        posted(addressees=["other"], problem="My careful problem statement"),
    )
    page = text(response)
    assert response.status_code == 200
    assert "Say whom the proposal is addressed to." in page
    assert 'href="#id_addressee_detail"' in page
    assert "My careful problem statement" in page
    assert not Proposal.objects.exists()


def test_country_names_follow_the_language(client, open_space, member):
    client.force_login(member)
    page = text(client.get(reverse("forum:proposal_create", args=[open_space.slug]).replace("/en/", "/fr/")))
    assert ">Allemagne<" in page


# Co-authors


def test_co_authors_are_added_by_handle_or_email_and_edit_like_the_creator(
    client, open_space, member, open_member
):
    proposal = draft(open_space, member)
    handle = access.participant_for(open_member).handle
    client.force_login(member)
    url = reverse("forum:proposal_authors", args=[proposal.pk])
    response = client.post(url, {"action": "add", "identifier": f"@{handle}"}, follow=True)
    assert "is now a co-author" in text(response)
    assert set(proposal.authors.all()) == {member, open_member}

    client.force_login(open_member)
    assert client.get(proposal.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("forum:proposal_edit", args=[proposal.pk]),
        posted(title="Edited by the co-author", edit_number=str(proposal.edit_number)),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Edited by the co-author"


def test_only_members_of_the_space_become_co_authors(client, open_space, member, outsider):
    proposal = draft(open_space, member)
    client.force_login(member)
    url = reverse("forum:proposal_authors", args=[proposal.pk])
    for identifier in (outsider.email, "nobody@example.org", "@nobody"):
        response = client.post(url, {"action": "add", "identifier": identifier})
        assert "No member of this space has this @handle or email address." in text(response)
    assert list(proposal.authors.all()) == [member]


def test_a_co_author_is_removed_but_the_last_author_stays(client, open_space, member, open_member):
    proposal = draft(open_space, member)
    services.proposal_author_add(proposal=proposal, by=member, identifier=open_member.email)
    client.force_login(member)
    url = reverse("forum:proposal_authors", args=[proposal.pk])
    client.post(url, {"action": "remove", "user": open_member.pk})
    assert list(proposal.authors.all()) == [member]
    response = client.post(url, {"action": "remove", "user": member.pk}, follow=True)
    assert "A proposal keeps at least one author." in text(response)
    assert list(proposal.authors.all()) == [member]
    client.force_login(open_member)
    assert client.get(proposal.get_absolute_url()).status_code == 404


# Lifecycle, versions and the diff


def test_opening_makes_version_1_and_tells_the_space(client, open_space, member, open_member):
    proposal = draft(open_space, member)
    client.force_login(member)
    client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "open"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.opened_at is not None
    assert proposal.version == 1
    version = ProposalVersion.objects.get(proposal=proposal)
    assert version.number == 1 and version.content["title"] == proposal.title
    assert Activity.objects.filter(proposal=proposal, kind=ActivityKind.PROPOSAL_OPENED).count() == 1
    client.force_login(open_member)
    listing = text(client.get(reverse("forum:proposal_list", args=[open_space.slug])))
    assert proposal.title in listing


def test_edits_after_opening_make_versions_and_a_word_diff(client, open_space, member, open_member):
    proposal = opened(open_space, member)
    client.force_login(member)
    url = reverse("forum:proposal_edit", args=[proposal.pk])
    client.post(
        url,
        posted(proposed="- Ask ministries to sign fair agreements", edit_number=str(proposal.edit_number)),
    )
    proposal.refresh_from_db()
    client.post(
        url,
        posted(
            proposed="- Ask ministries to sign fair agreements",
            countries=["KE"],
            edit_number=str(proposal.edit_number),
        ),
    )
    proposal.refresh_from_db()
    assert proposal.version == 3
    assert list(proposal.versions.values_list("number", flat=True)) == [1, 2, 3]
    assert Activity.objects.filter(proposal=proposal, kind=ActivityKind.PROPOSAL_EDITED).count() == 2
    # Saving the same content again publishes nothing.
    client.post(
        url,
        posted(
            proposed="- Ask ministries to sign fair agreements",
            countries=["KE"],
            edit_number=str(proposal.edit_number),
        ),
    )
    proposal.refresh_from_db()
    assert proposal.version == 3

    client.force_login(open_member)
    versions = text(client.get(reverse("forum:proposal_versions", args=[proposal.pk])))
    assert "Version 3" in versions
    page = text(client.get(reverse("forum:proposal_diff", args=[proposal.pk]) + "?from=1&to=3"))
    assert "<ins>fair </ins>" in page or "<ins>fair</ins>" in page
    # Countries are compared as whole names.
    assert "<del>United Kingdom, </del>Kenya" in page
    assert client.get(reverse("forum:proposal_diff", args=[proposal.pk]) + "?from=1&to=9").status_code == 404


def test_a_stale_save_is_refused_and_the_typed_text_kept(client, open_space, member, open_member):
    proposal = opened(open_space, member)
    services.proposal_author_add(proposal=proposal, by=member, identifier=open_member.email)
    stale = proposal.edit_number
    services.proposal_edit(
        proposal=proposal, user=open_member, edit_number=stale, fields=fields(title="The co-author's title")
    )
    client.force_login(member)
    response = client.post(
        reverse("forum:proposal_edit", args=[proposal.pk]),
        posted(title="My own title", edit_number=str(stale)),
    )
    page = text(response)
    assert response.status_code == 409
    assert "A co-author saved this proposal while you were editing it" in page
    assert 'value="My own title"' in page
    assert "What is saved now" in page
    proposal.refresh_from_db()
    assert proposal.title == "The co-author's title"
    # The page now starts from what is saved: saving again is the author's decision.
    assert f'name="edit_number" value="{proposal.edit_number}"' in page
    with pytest.raises(services.EditConflict):
        services.proposal_edit(proposal=proposal, user=member, edit_number=stale, fields=fields())


def test_consideration_and_decision_with_reasons(client, open_space, member, moderator, steering):
    proposal = opened(open_space, member)
    client.force_login(moderator)
    client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "consider"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONSIDERATION

    client.force_login(steering)
    url = reverse("forum:proposal_decide", args=[proposal.pk])
    response = client.post(url, {"decision": "adopted", "reasons": ""})
    assert "This field is required." in text(response)
    response = client.post(url, {"decision": "adopted", "reasons": "It fits the Code's article 5."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.decided_by == steering
    page = text(client.get(proposal.get_absolute_url()))
    assert "It fits the Code&#x27;s article 5." in page
    assert "Under consideration" in page and "Adopted as a coalition position" in page
    # The authors are told of every change.
    kinds = set(Notification.objects.filter(user=member).values_list("activity__kind", flat=True))
    assert ActivityKind.PROPOSAL_STATUS in kinds


def test_a_closed_proposal_is_frozen(client, open_space, member, steering):
    proposal = opened(open_space, member)
    services.proposal_decide(proposal=proposal, user=steering, status="declined", reasons="Out of scope.")
    proposal.refresh_from_db()
    client.force_login(member)
    response = client.post(
        reverse("forum:proposal_edit", args=[proposal.pk]),
        posted(title="Late", edit_number=str(proposal.edit_number)),
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title != "Late"
    with pytest.raises(PermissionDenied):
        services.proposal_edit(
            proposal=proposal, user=member, edit_number=proposal.edit_number, fields=fields()
        )
    with pytest.raises(PermissionDenied):
        services.proposal_support(proposal=proposal, user=member)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=proposal, user=member)
    assert proposal.is_closed


def test_authors_withdraw_and_a_draft_withdrawn_stays_private(client, open_space, member, open_member):
    never_opened = draft(open_space, member, title="A draft given up")
    services.proposal_withdraw(proposal=never_opened, user=member)
    proposal = opened(open_space, member)
    client.force_login(member)
    client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "withdraw"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert not Activity.objects.filter(proposal=never_opened).exists()
    client.force_login(open_member)
    assert client.get(never_opened.get_absolute_url()).status_code == 404
    listing = text(client.get(reverse("forum:proposal_list", args=[open_space.slug])))
    assert "A draft given up" not in listing
    assert "Withdrawn" in listing


# The list


def test_the_list_filters_without_javascript(client, open_space, member):
    opened(
        open_space,
        member,
        title="National one",
        level="national",
        countries=["KE"],
        code_articles=[10],
        addressees=["parliament"],
    )
    opened(
        open_space,
        member,
        title="Global one",
        level="global",
        countries=["GB"],
        code_articles=[1],
        addressees=["other"],
        addressee_detail="The G20",
    )
    url = reverse("forum:proposal_list", args=[open_space.slug])
    for query, shown, not_shown in (
        ("level=national", "National one", "Global one"),
        ("country=GB", "Global one", "National one"),
        ("article=1", "Global one", "National one"),
        ("article=10", "National one", "Global one"),
        ("addressee=other", "Global one", "National one"),
        ("status=open&addressee=parliament", "National one", "Global one"),
    ):
        page = text(client.get(f"{url}?{query}"))
        assert shown in page and not_shown not in page, query
    page = text(client.get(f"{url}?level=bogus&article=99&page=x"))
    assert "National one" in page and "Global one" in page


def test_the_list_shows_counts_and_authors_in_bounded_queries(
    client, open_space, member, open_member, django_assert_max_num_queries
):
    for number in range(25):
        proposal = opened(open_space, member, title=f"Proposal number {number}")
    services.proposal_support(proposal=proposal, user=open_member)
    url = reverse("forum:proposal_list", args=[open_space.slug])
    client.force_login(open_member)
    client.get(url)
    with django_assert_max_num_queries(16):
        page = text(client.get(url))
    assert "Proposal number 24" in page
    assert "1 support" in page and "0 comments" in page
    assert access.participant_for(member).display_name in page
    assert member.email not in page
    assert "Proposal number 4" not in page
    assert "Proposal number 4" in text(client.get(url + "?page=2"))


def test_the_decision_shows_who_decided(client, open_space, member, steering):
    proposal = opened(open_space, member)
    services.proposal_decide(proposal=proposal, user=steering, status="adopted", reasons="Agreed.")
    page = text(client.get(proposal.get_absolute_url()))
    assert f"by {access.participant_for(steering).display_name}" in page
    assert "Support this proposal" not in page and "no longer takes support" in page


@pytest.mark.cache
def test_starting_many_proposals_at_once_is_slowed_down(client, open_space, member, settings):
    settings.RATE_LIMITS_ENABLED = True
    client.force_login(member)
    url = reverse("forum:proposal_create", args=[open_space.slug])
    for number in range(10):
        assert client.post(url, posted(title=f"Proposal {number}")).status_code == 302
    response = client.post(url, posted(title="One too many"))
    page = text(response)
    assert "You have started many proposals in a short time." in page
    assert 'value="One too many"' in page
    assert Proposal.objects.count() == 10
