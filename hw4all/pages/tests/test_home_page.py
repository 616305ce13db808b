import datetime as dt
import io
import os

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image

from hw4all.coalition import services as coalition
from hw4all.core.pagecache import pagecache_invalidate
from hw4all.events.services import event_create
from hw4all.news.services import article_create

pytestmark = pytest.mark.cache


def _logo(name: str) -> Image:
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (40, 20), os.urandom(40 * 20 * 3)).save(buffer, "PNG")
    return Image.objects.create(title=name, file=ImageFile(buffer, name=f"{name}.png"))


def _fill(news_index, events_index, count: int) -> None:
    project = coalition.project_create(
        title="Health Workers for All and All for Health Workers", acronym="HW4All"
    )
    now = timezone.now()
    for number in range(count):
        article_create(
            index=news_index,
            title=f"Statement {number}",
            kind="statement",
            date=dt.date(2024, 5, 1) + dt.timedelta(days=number),
            summary=f"On the WHO Code, part {number}.",
        )
        event_create(
            index=events_index,
            title=f"Side event {number}",
            start=now + dt.timedelta(days=number + 1),
            end=now + dt.timedelta(days=number + 1, hours=2),
            time_zone="Europe/Zurich",
            summary="At the World Health Assembly.",
            venue="Palais des Nations",
        )
        organisation = coalition.organisation_create(
            name=f"Partner {number}",
            acronym=f"P{number}",
            logo=_logo(f"p{number}") if number % 2 == 0 else None,
        )
        coalition.project_participation_add(project=project, organisation=organisation)


@pytest.mark.django_db
def test_empty_home_page_explains_what_is_missing(client, home_page):
    response = client.get("/en/")

    html = response.content.decode()
    assert response.status_code == 200
    assert home_page.intro in html
    assert "No news yet." in html
    assert "No upcoming events are announced yet." in html
    assert "No campaign is running at the moment." in html
    assert 'id="partners-heading"' not in html


@pytest.mark.django_db
def test_home_page_shows_news_events_and_partners(client, home_page, news_index, events_index):
    _fill(news_index, events_index, 2)
    past = timezone.now() - dt.timedelta(days=30)
    event_create(
        index=events_index,
        title="Past meeting",
        start=past,
        end=past + dt.timedelta(hours=1),
        time_zone="UTC",
        summary="Over.",
    )

    html = client.get("/en/").content.decode()

    assert "Statement 1" in html and "Statement 0" in html
    assert html.index("Statement 1") < html.index("Statement 0")  # newest first
    assert "Side event 0" in html
    assert "Past meeting" not in html
    assert "P1" in html  # a partner without a logo is named
    assert 'alt="Partner 0"' in html
    assert 'href="/en/news/"' in html


@pytest.mark.django_db
def test_home_page_headings_are_in_order(client, home_page, news_index, events_index):
    _fill(news_index, events_index, 1)

    html = client.get("/en/").content.decode()

    assert html.count("<h1") == 1
    assert html.index("<h1") < html.index("<h2") < html.index("<h3")


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow(
    client, home_page, news_index, events_index, django_assert_max_num_queries
):
    _fill(news_index, events_index, 1)
    client.get("/en/")  # renditions are created on the first view
    # Measured as after a publish, when the cached sections are rendered again.
    pagecache_invalidate()
    with django_assert_max_num_queries(40) as few:
        client.get("/en/")
    baseline = len(few.captured_queries)
    _fill(news_index, events_index, 6)
    client.get("/en/")
    pagecache_invalidate()
    with django_assert_max_num_queries(baseline):
        client.get("/en/")


@pytest.mark.django_db
def test_hostile_text_is_escaped(client, home_page, news_index):
    home_page.intro = '<script>alert("intro")</script>'
    home_page.save_revision().publish()
    article_create(
        index=news_index,
        title="<img src=x onerror=alert(1)>",
        kind="news",
        date=dt.date(2024, 1, 1),
        summary="<script>alert(2)</script>",
    )

    html = client.get("/en/").content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.django_db
def test_cached_sections_cost_no_queries_until_a_publish_shows_the_new_article(
    client, home_page, news_index, events_index, django_assert_max_num_queries
):
    _fill(news_index, events_index, 2)
    client.get("/en/")
    pagecache_invalidate()
    with django_assert_max_num_queries(40) as uncached:
        client.get("/en/")
    # The latest articles and the partners come from the fragment cache on the next view.
    with django_assert_max_num_queries(len(uncached.captured_queries) - 3):
        client.get("/en/")

    article_create(
        index=news_index,
        title="Fresh statement",
        kind="statement",
        date=dt.date(2030, 1, 1),
        summary="Published after the sections were cached.",
    )

    html = client.get("/en/").content.decode()
    assert "Fresh statement" in html
