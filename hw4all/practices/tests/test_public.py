"""What a visitor sees of the case studies: the listing with its filters, counts and map, one case
as a page and as a PDF, and its files; unpublished cases only for those who work on them."""

import datetime
import http.server
import io
import re
import threading
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.practices import services
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.models import CaseAttachment, CaseStatus
from hw4all.users.roles import MEMBER, REVIEWER

pytestmark = pytest.mark.django_db

INDEX = "/en/practices/"
XSS = '<script>alert("x")</script>'


def published_case(**fields):
    """A published case as the listing reads it: its facet rows built like the services do."""
    case = CaseStudyFactory(published=True, **fields)
    services.facets_rebuild(case)
    return case


def unvalidated_case(**fields):
    """Published by the Secretariat while still in review: shown without the badge."""
    return published_case(status=CaseStatus.IN_REVIEW, outcome=None, decided_at=None, **fields)


def titles(response) -> list[str]:
    return [card.case.title for card in response.context["cards"]]


def options(response, facet: str) -> dict[str, tuple[int, bool]]:
    """The filter's options as the page shows them: value: (count, checked)."""
    found = re.findall(
        rf'<input type="checkbox" id="filter-{facet}-[^"]+" name="{facet}" value="([^"]+)"( checked)?>'
        r"\s*<label[^>]*>.*?\((\d+)\)</span></label>",
        response.content.decode(),
        re.DOTALL,
    )
    return {value: (int(count), bool(checked)) for value, checked, count in found}


def validated_count(response) -> int:
    html = response.content.decode()
    return int(
        re.search(r'Validated practices only <span class="practices-filter__count">\((\d+)\)', html)[1]
    )


def map_svg(response) -> str:
    return re.search(r'<svg class="practices-map".*?</svg>', response.content.decode(), re.DOTALL)[0]


@pytest.fixture
def cases(db):
    """Four published cases across countries, themes, articles and levels, oldest first."""
    now = timezone.now()
    return [
        published_case(
            title="Kenyan rural nurses",
            countries=["KE"],
            themes=["retention"],
            code_articles=[5],
            levels=["local"],
            outcome=3,
            published_at=now - datetime.timedelta(days=4),
        ),
        published_case(
            title="Romanian return programme",
            countries=["RO"],
            themes=["return-migration", "recruitment"],
            code_articles=[3, 5],
            levels=["national"],
            outcome=2,
            published_at=now - datetime.timedelta(days=3),
        ),
        unvalidated_case(
            title="Philippine bilateral agreement",
            countries=["PH", "DE"],
            themes=["bilateral-agreements"],
            code_articles=[10],
            levels=["central"],
            published_at=now - datetime.timedelta(days=2),
        ),
        published_case(
            title="Kenyan diaspora network",
            countries=["KE"],
            themes=["diaspora", "recruitment"],
            code_articles=[3],
            levels=["national"],
            outcome=1,
            published_at=now - datetime.timedelta(days=1),
        ),
    ]


# The listing


def test_the_listing_shows_published_cases_newest_first_with_their_badges(client, cases, in_review):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert titles(response) == [
        "Kenyan diaspora network",
        "Philippine bilateral agreement",
        "Romanian return programme",
        "Kenyan rural nurses",
    ]
    html = response.content.decode()
    assert "4 case studies" in html
    assert "Best practice" in html and "Promising practice" in html
    assert "Case study (not validated)" in html
    assert "Germany, Philippines" in html
    assert "Return and circular migration, Recruitment" in html
    assert "National" in html and "Local (operational)" in html
    assert in_review.title not in html
    assert 'aria-current="page">Practices</a>' in html


def test_each_filter_narrows_the_listing(client, cases):
    assert titles(client.get(INDEX, {"country": "KE"})) == ["Kenyan diaspora network", "Kenyan rural nurses"]
    assert titles(client.get(INDEX, {"theme": "bilateral-agreements"})) == ["Philippine bilateral agreement"]
    assert titles(client.get(INDEX, {"article": "3"})) == [
        "Kenyan diaspora network",
        "Romanian return programme",
    ]
    assert titles(client.get(INDEX, {"level": "central"})) == ["Philippine bilateral agreement"]
    assert "Philippine bilateral agreement" not in titles(client.get(INDEX, {"validated": "1"}))
    assert len(titles(client.get(INDEX, {"validated": "1"}))) == 3


def test_values_of_one_filter_add_up_and_filters_combine(client, cases):
    assert titles(client.get(INDEX, {"country": ["RO", "PH"]})) == [
        "Philippine bilateral agreement",
        "Romanian return programme",
    ]
    assert titles(client.get(INDEX, {"country": "KE", "theme": "recruitment"})) == ["Kenyan diaspora network"]
    assert titles(client.get(INDEX, {"theme": "recruitment", "article": "5", "level": "national"})) == [
        "Romanian return programme"
    ]
    assert titles(client.get(INDEX, {"country": ["KE", "PH"], "validated": "1"})) == [
        "Kenyan diaspora network",
        "Kenyan rural nurses",
    ]
    assert titles(client.get(INDEX, {"country": "RO", "level": "local"})) == []


def test_each_option_counts_the_cases_it_would_give(client, cases):
    response = client.get(INDEX, {"country": "KE"})
    # A facet's own choice does not narrow its counts; the others' choices do.
    assert options(response, "country") == {
        "KE": (2, True),
        "RO": (1, False),
        "PH": (1, False),
        "DE": (1, False),
    }
    assert options(response, "theme") == {
        "retention": (1, False),
        "diaspora": (1, False),
        "recruitment": (1, False),
    }
    assert options(response, "article") == {"3": (1, False), "5": (1, False)}
    assert validated_count(response) == 2
    html = response.content.decode()
    assert "Article 5: Health workforce development and health systems sustainability" in html
    assert 'name="country" value="KE" checked' in html

    response = client.get(INDEX, {"validated": "1", "theme": "recruitment"})
    assert options(response, "country") == {"KE": (1, False), "RO": (1, False)}
    assert validated_count(response) == 2
    assert options(client.get(INDEX, {"theme": "recruitment"}), "theme")["bilateral-agreements"] == (1, False)


@pytest.mark.permission("practices:index", "public")
def test_a_validated_case_the_secretariat_kept_unpublished_is_neither_listed_nor_counted(client, cases):
    hidden = CaseStudyFactory(
        published=True, is_published=False, published_at=None, title="Kept back", countries=["KE"]
    )
    services.facets_rebuild(hidden)
    for params in ({}, {"validated": "1"}, {"validated": "1", "country": "KE"}):
        response = client.get(INDEX, params)
        assert "Kept back" not in titles(response)
        assert validated_count(response) == (3 if "country" not in params else 2)
    assert options(client.get(INDEX, {"validated": "1"}), "country")["KE"] == (2, False)


def test_the_listing_has_twenty_cases_a_page(client, db):
    organisation = OrganisationFactory(country="KE")
    for _ in range(23):
        published_case(organisation=organisation)
    first = client.get(INDEX)
    assert len(first.context["cards"]) == 20
    assert "23 case studies" in first.content.decode()
    second = client.get(INDEX, {"page": "2"})
    assert len(second.context["cards"]) == 3
    assert set(titles(first)).isdisjoint(titles(second))


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "country=ke",
        "article=abc",
        "article=11",
        "article=-1",
        "theme=%3Cscript%3E",
        "level=",
        "page=-1",
        "page=abc",
        "page=" + "9" * 5000,
        "country=" + "K" * 100_000,
        "validated=maybe",
        "&".join(["country=KE"] * 500),
    ],
)
def test_bad_addresses_never_fail(client, cases, query):
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    assert response.context["cards"]


def test_the_listing_costs_the_same_queries_for_ten_or_two_hundred_and_ten_cases(client, db):
    organisation = OrganisationFactory(country="KE")

    def build(count: int) -> None:
        for number in range(count):
            published_case(
                organisation=organisation,
                countries=[["KE"], ["RO", "BE"], ["PH"]][number % 3],
                themes=[["retention"], ["recruitment", "diaspora"]][number % 2],
                code_articles=[number % 10 + 1],
                status=CaseStatus.VALIDATED if number % 4 else CaseStatus.IN_REVIEW,
            )

    def queries_for(params: dict) -> int:
        # Without the cached counts and map: the queries a page costs after a publication.
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX, params).status_code == 200
        return len(captured)

    searches = [{}, {"country": ["KE", "RO"], "theme": "retention", "validated": "1", "page": "2"}]
    build(10)
    # The first request of a process also fills the site's caches (menu, locales).
    client.get(INDEX)
    before = [queries_for(params) for params in searches]
    build(200)
    assert [queries_for(params) for params in searches] == before
    # The facet index (the cache was emptied: the ids in order and the facet rows, in a savepoint
    # of their own), the page's cases, the site, its settings, the menu.
    assert before[0] <= 9, before


def test_titles_summaries_and_countries_are_escaped(client, db):
    published_case(title=XSS, summary=XSS, actors=XSS)
    html = client.get(INDEX).content.decode()
    assert XSS not in html
    assert "&lt;script&gt;" in html


def test_the_map_links_each_country_with_cases_to_the_listing_filtered_by_it(client, cases):
    response = client.get(INDEX, {"theme": "recruitment"})
    svg = map_svg(response)
    # An image cannot hold links: the map is hidden from screen readers, the table is not.
    assert svg.startswith('<svg class="practices-map" viewBox="0 0 720 300" aria-hidden="true">')
    links = {parse_qs(urlsplit(href).query)["country"][0] for href in _hrefs(svg)}
    assert links == {"KE", "RO"}
    assert all("theme=recruitment" in href for href in _hrefs(svg))
    assert "<title>Kenya: 1 case study</title>" in svg
    html = response.content.decode()
    # The table is the map's accessible version, with the same links.
    assert '<th scope="row"><a href="/en/practices/?theme=recruitment&amp;country=KE"' in html
    assert titles(client.get(next(iter(_hrefs(svg))))) != []


def _hrefs(svg: str) -> list[str]:
    import re

    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="([^"]+)" tabindex="-1">', svg)]


def test_filters_update_in_place_with_htmx(client, cases):
    response = client.get(
        INDEX, {"country": "RO"}, headers={"HX-Request": "true", "HX-Target": "practices-results"}
    )
    html = response.content.decode()
    assert "<html" not in html and "Romanian return programme" in html
    assert 'hx-get="/en/practices/"' in html
    assert "HX-Request" in response["Vary"]


def test_the_listing_works_in_french(client, cases):
    html = client.get("/fr/practices/").content.decode()
    assert 'lang="fr"' in html and "Kenyan rural nurses" in html


# One case


@pytest.fixture
def validated(published):
    return published_case(
        title="Retaining rural nurses",
        slug="retaining-rural-nurses",
        criteria_version=published,
        outcome=3,
        core_percent=83.3,
        qualifier_percent=66.7,
        reviews_counted=3,
        decided_at=datetime.datetime(2026, 3, 14, tzinfo=datetime.UTC),
        code_articles=[3, 5],
        levels=["local", "national"],
        themes=["retention"],
        countries=["KE", "UG"],
    )


def test_a_validated_case_shows_its_badge_and_validation_record(client, validated):
    response = client.get(validated.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Retaining rural nurses" in html
    assert "Best practice" in html and "Validation record" in html
    assert "Partnership criteria, version 1" in html
    assert "83.3 %" in html and "66.7 %" in html
    assert "3 independent reviews" in html
    assert "March 14, 2026" in html
    assert "Kenya, Uganda" in html
    assert "Article 3: Guiding principles" in html
    assert "Local (operational), National" in html
    assert "District health management team" in html
    assert f'href="{validated.organisation.get_absolute_url()}"' in html
    assert "mailto:wanjiru@example.org" in html
    assert (
        "Rural districts lost a third of their nurses" in html
        and '<h2 id="section-context">Context</h2>' in html
    )
    assert "Costs and resources" not in html  # an empty section is left out
    assert f'href="/en/practices/{validated.pk}-retaining-rural-nurses/case.pdf"' in html
    assert "Not published" not in html


def test_an_unvalidated_published_case_shows_no_badge_and_no_record(client, db):
    case = unvalidated_case()
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Case study (not validated)" in html
    assert "Validation record" not in html


@pytest.mark.permission("practices:case_detail_short", "public")
def test_a_wrong_slug_or_the_short_address_redirects_to_the_page(client, validated):
    canonical = validated.get_absolute_url()
    for address in (f"/en/practices/{validated.pk}-old-title/", f"/en/practices/{validated.pk}/"):
        response = client.get(address)
        assert response.status_code == 301
        assert response["Location"] == canonical
    response = client.get(f"/en/practices/{validated.pk}-old/case.pdf")
    assert response.status_code == 301 and response["Location"] == canonical + "case.pdf"


def test_unknown_cases_are_not_found(client, db):
    assert client.get("/en/practices/999999-nothing/").status_code == 404
    assert client.get("/en/practices/999999/files/1/").status_code == 404


def test_hostile_text_written_by_authors_stays_harmless(client, author, secretary):
    from .conftest import complete_fields

    fields = complete_fields() | {
        "summary": f"Nurses {XSS}",
        "actors": XSS,
        "contact_name": XSS,
        "practice": f'<p onclick="steal()">Staff housing.</p>{XSS}<a href="javascript:steal()">link</a>'
        '<img src="http://example.org/x.png" onerror="steal()">',
    }
    case = services.case_create(user=author, title=f"Housing {XSS}", **fields)
    services.case_submit(case=case, user=author)
    services.case_publish(case=case, by=secretary)
    client.logout()
    html = client.get(case.get_absolute_url()).content.decode()
    assert XSS not in html
    assert "steal()" not in html and '<img src="http://example.org' not in html
    assert "Staff housing." in html and '<h1 id="case-title">Housing' in html


# Who sees an unpublished case


@pytest.fixture
def unpublished(in_review):
    return in_review


@pytest.mark.permission("practices:case_detail", "public")
@pytest.mark.permission("practices:case_detail_short", "public")
def test_an_unpublished_case_is_not_found_for_visitors_members_and_other_reviewers(
    client, unpublished, reviewers, secretary
):
    address = f"/en/practices/{unpublished.pk}-{unpublished.slug}/"
    assert client.get(address).status_code == 404
    assert client.get(f"/en/practices/{unpublished.pk}/").status_code == 404
    assert client.get(address + "case.pdf").status_code == 404
    client.force_login(user_in(MEMBER, country="KE"))
    assert client.get(address).status_code == 404
    client.force_login(user_in(REVIEWER, country="RO"))
    assert client.get(address).status_code == 404
    client.force_login(reviewers[2])  # not assigned to this case
    assert client.get(address).status_code == 404
    assert client.get(address + "case.pdf").status_code == 404


@pytest.mark.permission("practices:case_detail", "object")
@pytest.mark.parametrize("who", ["author", "coauthor", "assigned reviewer", "secretary"])
def test_an_unpublished_case_shows_to_those_who_work_on_it_with_a_notice(
    client, unpublished, author, reviewers, secretary, who
):
    if who == "coauthor":
        coauthor = user_in(MEMBER, organisation=author.person.organisation)
        services.case_author_add(case=unpublished, by=author, email=coauthor.email)
    user = {"author": author, "assigned reviewer": reviewers[0], "secretary": secretary}.get(who) or coauthor
    client.force_login(user)
    response = client.get(f"/en/practices/{unpublished.pk}-{unpublished.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published." in html and "In review" in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


# PDF


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the handler's interface
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_png())

    def log_message(self, *args):
        pass


def _png(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attach(case, *, name: str, content: bytes, is_image: bool, title: str = "") -> CaseAttachment:
    attachment = CaseAttachment(case=case, title=title or name, is_image=is_image, size=len(content))
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def _pdf_text_and_images(content: bytes) -> tuple[str, int]:
    document = pypdfium2.PdfDocument(content)
    text, images = "", 0
    for page in document:
        text += page.get_textpage().get_text_range()
        images += sum(1 for _ in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))
    return text, images


def test_the_pdf_holds_the_case_and_its_own_pictures_and_fetches_nothing_else(client, validated, media):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        hostile = f"http://127.0.0.1:{server.server_port}/tracker.png"
        # Written past the services, as if the sanitiser had let an image through.
        validated.practice = (
            f'<p>Staff housing.</p><img src="{hostile}"><p style="background:url({hostile})">x</p>'
        )
        validated.save()
        attach(validated, name="housing.png", content=_png(), is_image=True, title="The new staff houses")
        response = client.get(validated.get_absolute_url() + "case.pdf")
    finally:
        server.shutdown()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="retaining-rural-nurses.pdf"'
    assert response.content.startswith(b"%PDF")
    text, images = _pdf_text_and_images(response.content)
    assert "Retaining rural nurses" in text
    assert "Best practice" in text and "Staff housing." in text
    assert "The new staff houses" in text
    assert images == 1
    assert _Recorder.requests == []


@pytest.mark.permission("practices:case_pdf", "object")
def test_an_unpublished_case_pdf_is_for_its_authors_only(client, unpublished, author):
    address = f"/en/practices/{unpublished.pk}-{unpublished.slug}/case.pdf"
    assert client.get(address).status_code == 404
    client.force_login(author)
    response = client.get(address)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-cache" in response["Cache-Control"]


# Files


def test_a_published_case_shows_its_pictures_and_offers_its_documents(client, validated, media):
    picture = attach(validated, name="clinic.png", content=_png(), is_image=True, title="The clinic")
    report = attach(
        validated, name="report.pdf", content=b"%PDF-1.4 report", is_image=False, title="Evaluation"
    )
    html = client.get(validated.get_absolute_url()).content.decode()
    picture_url = f"/en/practices/{validated.pk}/files/{picture.pk}/"
    report_url = f"/en/practices/{validated.pk}/files/{report.pk}/"
    assert (
        f'<img src="{picture_url}" alt="The clinic"' in html and "<figcaption>The clinic</figcaption>" in html
    )
    assert f'href="{report_url}" download' in html and "15\xa0bytes" in html

    response = client.get(picture_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == picture.file.open("rb").read()

    response = client.get(report_url)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_claims_to_be_a_picture_but_is_not_one_is_never_shown_inline(client, validated, media):
    page = attach(validated, name="page.html", content=b"<script>alert(1)</script>", is_image=True)
    response = client.get(f"/en/practices/{validated.pk}/files/{page.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.permission("practices:attachment", "object")
def test_files_of_an_unpublished_case_are_for_those_who_work_on_it(
    client, unpublished, author, reviewers, media
):
    file = attach(unpublished, name="notes.txt", content=b"draft notes", is_image=False)
    address = f"/en/practices/{unpublished.pk}/files/{file.pk}/"
    assert client.get(address).status_code == 404
    client.force_login(reviewers[2])
    assert client.get(address).status_code == 404
    client.force_login(reviewers[0])
    response = client.get(address)
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    client.force_login(author)
    assert client.get(address).status_code == 200


@pytest.mark.permission("practices:attachment", "object")
def test_a_file_of_another_case_is_not_found_through_this_one(client, validated, media):
    other = published_case()
    file = attach(other, name="other.txt", content=b"x", is_image=False)
    assert client.get(f"/en/practices/{validated.pk}/files/{file.pk}/").status_code == 404
    assert client.get(f"/en/practices/{other.pk}/files/{file.pk}/").status_code == 200


def test_the_counts_and_the_map_follow_a_publication_at_once(
    client, cases, secretary, django_capture_on_commit_callbacks
):
    before = options(client.get(INDEX), "country")["KE"][0]
    case = CaseStudyFactory(countries=["KE"], status=CaseStatus.SUBMITTED, revision=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_publish(case=case, by=secretary)
    response = client.get(INDEX)
    assert options(response, "country")["KE"][0] == before + 1
    assert f"<title>Kenya: {before + 1} case studies</title>" in map_svg(response)
