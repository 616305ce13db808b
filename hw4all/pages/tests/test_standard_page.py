import pytest

from hw4all.pages.services import standard_page_create


@pytest.mark.django_db
def test_standard_page_renders_its_body(client, home_page):
    standard_page_create(
        parent=home_page,
        title="About us",
        slug="about",
        summary="Who we are.",
        body=[("heading", "Our history"), ("paragraph", "<p>Since <b>2013</b>.</p>")],
        show_in_menus=True,
    )

    response = client.get("/en/about/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>About us</h1>" in html
    assert "Who we are." in html
    assert "Our history" in html
    assert "<b>2013</b>" in html
    # Pages in menus appear in the main navigation, marked as current.
    assert 'href="/en/about/" aria-current="page"' in html


@pytest.mark.django_db
def test_nested_standard_pages_and_unknown_slugs(client, home_page):
    about = standard_page_create(parent=home_page, title="About us", slug="about")
    standard_page_create(parent=about, title="Steering committee", slug="steering-committee")

    assert client.get("/en/about/steering-committee/").status_code == 200
    assert client.get("/en/about/nobody/").status_code == 404


@pytest.mark.django_db
def test_draft_pages_are_not_public(client, home_page):
    page = standard_page_create(parent=home_page, title="Draft", slug="draft")
    page.unpublish()

    assert client.get("/en/draft/").status_code == 404


@pytest.mark.django_db
def test_standard_page_escapes_hostile_text(client, home_page):
    standard_page_create(
        parent=home_page,
        title="<script>alert(1)</script>",
        slug="x",
        summary="<script>alert(2)</script>",
        body=[("heading", "<script>alert(3)</script>")],
    )

    html = client.get("/en/x/").content.decode()

    assert "<script>alert" not in html
