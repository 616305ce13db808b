"""A published case study is found by the library's search (page and API) and its entry links to
the case's page; unpublished, it leaves the library. The entry follows the services' steps."""

import pytest
from django.conf import settings

from hw4all.library import search
from hw4all.library.models import Kind, Resource
from hw4all.practices import services
from hw4all.practices.library_sync import case_library_key, case_library_sync

from .conftest import answers_for

pytestmark = pytest.mark.django_db


def found(query: str) -> list[int]:
    return [hit.resource_id for hit in search.search(query=query).hits]


def entry_of(case) -> Resource | None:
    return Resource.objects.filter(import_key=case_library_key(case.pk)).first()


def case_url(case) -> str:
    return f"{settings.SITE_URL}/en/practices/{case.pk}-{case.slug}/"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit, as a request's commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def published_case(submitted, secretary, on_commit):
    with on_commit():
        services.case_publish(case=submitted, by=secretary)
    return submitted


def test_a_published_case_is_found_by_a_word_of_its_practice_and_by_its_title(published_case):
    entry = entry_of(published_case)
    assert entry is not None
    # "allowance" is only in the practice section; "Retaining rural nurses" is the title.
    assert found("allowance") == [entry.pk]
    assert found("Retaining rural nurses") == [entry.pk]
    assert found("vacancies") == [entry.pk]  # results section, another form of the word


def test_the_entry_describes_the_case_and_points_at_its_page(published_case):
    entry = entry_of(published_case)
    assert (entry.title, entry.kind, entry.status) == ("Retaining rural nurses", Kind.CASE_STUDY, "published")
    assert entry.url == case_url(published_case)
    assert [str(country) for country in entry.countries] == ["KE"]
    assert entry.year == published_case.published_at.year
    assert entry.summary.startswith(published_case.summary)
    assert "The practice\n\nStaff housing and a rural allowance." in entry.summary


def test_the_library_search_page_and_api_lead_to_the_case_page(client, published_case):
    entry = entry_of(published_case)
    results = client.get("/en/library/", {"q": "allowance"}).content.decode()
    assert entry.get_absolute_url() in results
    assert "Retaining rural nurses" in results
    page = client.get(entry.get_absolute_url()).content.decode()
    assert f'href="{case_url(published_case)}"' in page
    api = client.get("/api/v1/library/resources", {"q": "allowance", "kind": "case-study"}).json()
    assert [item["title"] for item in api["items"]] == ["Retaining rural nurses"]


def test_unpublished_it_leaves_the_library(client, published_case, secretary, on_commit):
    with on_commit():
        services.case_unpublish(case=published_case, by=secretary)
    assert entry_of(published_case) is None
    assert found("allowance") == []
    assert "Retaining rural nurses" not in client.get("/en/library/", {"q": "nurses"}).content.decode()


def test_published_again_it_comes_back_once(published_case, secretary, on_commit):
    with on_commit():
        services.case_unpublish(case=published_case, by=secretary)
    with on_commit():
        services.case_publish(case=published_case, by=secretary)
    assert found("allowance") == [entry_of(published_case).pk]
    assert Resource.objects.count() == 1


def test_a_draft_or_a_submitted_case_is_not_in_the_library(submitted, author, on_commit):
    with on_commit():
        services.case_create(user=author, title="A draft about retention")
    assert not Resource.objects.exists()
    assert found("allowance") == []


def test_validated_with_publication_it_enters_the_library(in_review, secretary, reviewers, on_commit):
    with on_commit():
        for reviewer in reviewers[:2]:
            services.review_save(
                assignment=in_review.assignments.get(reviewer=reviewer),
                user=reviewer,
                answers=answers_for(in_review),
                no_conflict=True,
                submit=True,
            )
        services.case_decide(case=in_review, by=secretary, decision=services.Decision.VALIDATED)
    assert found("allowance") == [entry_of(in_review).pk]


def test_validated_without_publication_it_stays_out(in_review, secretary, reviewers, on_commit):
    with on_commit():
        for reviewer in reviewers[:2]:
            services.review_save(
                assignment=in_review.assignments.get(reviewer=reviewer),
                user=reviewer,
                answers=answers_for(in_review),
                no_conflict=True,
                submit=True,
            )
        services.case_decide(
            case=in_review, by=secretary, decision=services.Decision.VALIDATED, publish=False
        )
    assert entry_of(in_review) is None


def test_a_case_sent_back_for_revision_leaves_the_library_and_returns_revised(
    in_review, secretary, author, on_commit
):
    with on_commit():
        services.case_publish(case=in_review, by=secretary)
    assert entry_of(in_review) is not None
    with on_commit():
        services.case_decide(
            case=in_review, by=secretary, decision=services.Decision.REVISE, reasons="Give the costs."
        )
    assert entry_of(in_review) is None
    with on_commit():
        services.case_save(
            case=in_review,
            user=author,
            edit_number=in_review.edit_number,
            practice="<p>Staff housing and mentoring by senior midwives.</p>",
        )
        services.case_submit(case=in_review, user=author)
    assert found("midwives") == []
    with on_commit():
        services.case_publish(case=in_review, by=secretary)
    assert found("midwives") == [entry_of(in_review).pk]
    assert found("allowance") == []


def test_a_deleted_case_leaves_the_library(published_case, on_commit):
    with on_commit():
        published_case.delete()
    assert not Resource.objects.exists()
    assert found("allowance") == []


def test_nothing_happens_before_the_commit(submitted, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_publish(case=submitted, by=secretary)
    assert callbacks and not Resource.objects.exists()


def test_a_sync_that_finds_the_entry_up_to_date_writes_nothing(published_case, on_commit):
    entry = entry_of(published_case)
    with on_commit():
        case_library_sync(published_case)
    assert Resource.objects.get().updated_at == entry.updated_at


def test_markup_in_a_case_is_shown_as_text_in_the_library(client, author, secretary, on_commit):
    case = services.case_create(
        user=author,
        title="Nurses & <b>doctors</b>",
        summary="Kept <script>alert(1)</script> in rural districts.",
        countries=["KE"],
        levels=["local"],
        themes=["retention"],
        code_articles=[5],
        context="<p>Context</p>",
        practice='<p>Housing<img src=x onerror="alert(2)"></p>',
        results="<p>Results</p>",
    )
    services.case_submit(case=case, user=author)
    with on_commit():
        services.case_publish(case=case, by=secretary)
    entry = entry_of(case)
    for html in (
        client.get("/en/library/", {"q": "housing"}).content.decode(),
        client.get(entry.get_absolute_url()).content.decode(),
    ):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>doctors" not in html
