"""Search across the spaces a person may read and inside one: proposals, discussions and
comments; ranked, with the matches marked and everything else escaped; never what the person
may not see."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.forum import search as engine
from hw4all.forum.models import ProposalStatus

from .test_notifications import client_for, make_comment, make_proposal, make_thread


def results(client: Client, query: str, space=None, **params) -> str:
    url = reverse("forum:space_search", kwargs={"slug": space.slug}) if space else reverse("forum:search")
    response = client.get(url, {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_finds_proposals_threads_and_comments_by_their_words(client, open_space, open_member):
    make_proposal(
        open_space, open_member, title="Bilateral agreements", problem="Nurses from Kenya emigrate."
    )
    make_thread(open_space, open_member, title="Why nurses emigrate")
    thread = make_thread(open_space, open_member, title="Salaries")
    make_comment(open_member, "Rural **nurses** earn too little to stay.", thread=thread)
    page = results(client, "nurses")
    assert "3 results for “nurses”" in page
    assert "Bilateral agreements" in page
    assert "<mark>nurses</mark>" in page
    assert "Comment on “Salaries”" in page
    assert "Rural <mark>nurses</mark> earn too little to stay." in page  # Markdown shown as text
    assert "Global space" in page


def test_every_word_must_match_and_titles_rank_first(client, open_space, open_member):
    make_thread(open_space, open_member, title="Midwives in rural districts")
    body = make_thread(open_space, open_member, title="Staffing")
    make_comment(open_member, "The rural districts lack midwives.", thread=body)
    make_thread(open_space, open_member, title="Midwives in cities")
    page = results(client, "rural midwives")
    assert "2 results" in page
    assert page.index("in <mark>rural</mark> districts") < page.index("Comment on “Staffing”")
    assert "in cities" not in page


def test_quoted_phrases_match_as_written(client, open_space, open_member):
    make_thread(open_space, open_member, title="Health workforce planning")
    make_thread(open_space, open_member, title="Planning the health of the workforce")
    page = results(client, '"health workforce"')
    assert "1 result for" in page
    assert "<mark>Health workforce</mark> planning" in page


def test_search_terms_and_found_texts_are_escaped(client, open_space, open_member):
    make_thread(open_space, open_member, title="<b>bold</b> & <script>alert(1)</script>")
    page = results(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    page = results(client, '"><img src=x onerror=alert(1)>')
    assert "<img src=x" not in page


@pytest.mark.permission("forum:search", "object")
@pytest.mark.permission("forum:space_search", "object")
def test_a_closed_space_is_searched_by_its_members_only(
    client, closed_space, member, outsider, secretary, steering
):
    make_proposal(closed_space, member, title="Confidential negotiation mandate")
    for viewer in (client, client_for(outsider), client_for(steering)):
        assert "0 results" in results(viewer, "negotiation")
        assert "Confidential" not in results(viewer, "negotiation")
        assert (
            viewer.get(
                reverse("forum:space_search", kwargs={"slug": closed_space.slug}), {"q": "x"}
            ).status_code
            == 404
        )
    for viewer in (client_for(member), client_for(secretary)):
        assert "Confidential <mark>negotiation</mark> mandate" in results(viewer, "negotiation")
        assert "Confidential <mark>negotiation</mark> mandate" in results(
            viewer, "negotiation", space=closed_space
        )


def test_hidden_content_is_found_by_moderators_only(
    client, open_space, member, moderator, steering, open_member
):
    make_thread(open_space, open_member, title="Hidden insults", is_hidden=True)
    thread = make_thread(open_space, open_member, title="Open thread")
    make_comment(open_member, "more insults", thread=thread, is_hidden=True)
    hidden_thread = make_thread(open_space, open_member, title="Another", is_hidden=True)
    make_comment(open_member, "insults in a hidden thread", thread=hidden_thread)
    make_proposal(open_space, open_member, title="Hidden proposal insults", is_hidden=True)
    for viewer in (client, client_for(member)):
        assert "0 results" in results(viewer, "insults")
    for viewer in (client_for(moderator), client_for(steering)):
        assert "4 results" in results(viewer, "insults")


@pytest.mark.permission("forum:search", "object")
def test_drafts_are_found_by_their_authors_only(client, open_space, member, moderator, open_member):
    draft = make_proposal(open_space, open_member, title="Unfinished draft", status=ProposalStatus.DRAFT)
    make_comment(open_member, "A note on the unfinished text", proposal=draft)
    for viewer in (client, client_for(member), client_for(moderator)):
        assert "0 results" in results(viewer, "unfinished")
    assert "2 results" in results(client_for(open_member), "unfinished")


def test_a_draft_withdrawn_before_opening_stays_its_authors(client, open_space, member, open_member):
    make_proposal(
        open_space, open_member, title="Abandoned sketch", status=ProposalStatus.WITHDRAWN, opened_at=None
    )
    for viewer in (client, client_for(member)):
        assert "0 results" in results(viewer, "abandoned")
    assert "1 result" in results(client_for(open_member), "abandoned")


def test_deleted_comments_are_never_found(client, open_space, open_member, moderator):
    thread = make_thread(open_space, open_member, title="Thread")
    make_comment(open_member, "regrettable words", thread=thread, is_deleted=True)
    for viewer in (client, client_for(open_member), client_for(moderator)):
        assert "0 results" in results(viewer, "regrettable")


def test_a_space_search_stays_in_its_space(client, open_space, open_member):
    from hw4all.forum.factories import SpaceFactory

    other = SpaceFactory(name="European space", slug="europe")
    make_thread(open_space, open_member, title="Brain drain in Romania")
    make_thread(other, open_member, title="Brain drain in Poland")
    page = results(client, "brain drain", space=open_space)
    assert "1 result" in page and "Romania" in page and "Poland" not in page
    assert "2 results" in results(client, "brain drain")


def test_results_are_paginated(client, open_space, open_member):
    for number in range(engine.PER_PAGE + 5):
        make_thread(open_space, open_member, title=f"Retention study {number}")
    first = results(client, "retention")
    assert f"{engine.PER_PAGE + 5} results" in first
    assert 'rel="next"' in first
    second = results(client, "retention", page=2)
    assert second.count('class="card forum-result"') == 5


def test_an_empty_or_overlong_query(client, open_space, open_member):
    make_thread(open_space, open_member, title="Anything")
    assert "Type the words to find" in results(client, "")
    assert "Type the words to find" in results(client, "  ,;  ")
    page = results(client, "anything " + "x" * 500)
    assert "Only the first 200 characters" in page


def test_the_extract_is_around_the_first_match():
    terms = engine.query_terms("salaries")
    text = "word " * 100 + "the salaries of nurses " + "tail " * 100
    extract = str(engine.extract(text, terms))
    assert extract.startswith("…") and extract.endswith("…")
    assert "the <mark>salaries</mark> of nurses" in extract
    assert len(extract) < 400


@pytest.mark.cache
def test_a_burst_of_searches_is_refused(settings, monkeypatch, client, open_space):
    from hw4all.forum.views import search as views

    settings.RATE_LIMITS_ENABLED = True
    monkeypatch.setattr(views, "SEARCH_LIMIT", 5)
    # Fixed windows: twice the limit and one more is refused, even across a window's end.
    statuses = [client.get(reverse("forum:search"), {"q": "nurses"}).status_code for _ in range(11)]
    assert 429 in statuses
    assert client.get(reverse("forum:search")).status_code == 200  # the empty form still shows
