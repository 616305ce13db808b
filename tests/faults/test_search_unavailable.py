"""The search backend unavailable: the library's index table (FTS5 on SQLite, the tsvector table
on PostgreSQL) or the forum's searched table (the forum has no index of its own: it searches its
comments where they are) renamed away, for real, inside the test's transaction (rolled back
afterwards). The search page answers 503 with "search is unavailable"
and the visitor's words kept, the API's search a problem+json 503, and every other page is served."""

import json

import pytest
from django.db import connection

from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.services import discussions
from hw4all.library import search
from hw4all.library.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def _rename_away(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")  # noqa: S608 - constants


def test_the_library_search_without_its_index_says_so_while_the_site_goes_on(client, home_page):
    resource = ResourceFactory(title="Retention of nurses in rural districts")
    search.resource_index(resource.pk)
    assert resource.title in client.get("/en/library/?q=nurses").content.decode()

    _rename_away("library_search" if connection.vendor == "postgresql" else "library_search_fts")

    page = client.get("/en/library/?q=retention")
    text = page.content.decode()
    assert page.status_code == 503
    assert int(page["Retry-After"]) > 0
    assert "The library&#x27;s search is unavailable right now" in text
    assert 'value="retention"' in text  # the box keeps the visitor's words, to try again
    assert "Traceback" not in text

    api = client.get("/api/v1/library/resources?q=retention")
    assert api.status_code == 503
    assert api["Content-Type"] == "application/problem+json"
    assert "search is unavailable" in json.loads(api.content)["detail"]
    assert int(api["Retry-After"]) > 0

    assert client.get(resource.get_absolute_url()).status_code == 200
    assert client.get("/en/").status_code == 200
    assert client.get("/en/forum/").status_code == 200


def test_the_forum_search_failing_says_so_while_the_site_goes_on(client, home_page):
    space = SpaceFactory()
    member = member_of(space)
    discussions.thread_create(space=space, author=member, title="Retention in rural districts", body="Ideas?")
    client.force_login(member)
    assert "in rural districts" in client.get("/en/forum/search/?q=retention").content.decode()

    _rename_away("forum_comment")

    for address in ("/en/forum/search/?q=retention", f"/en/forum/spaces/{space.slug}/search/?q=retention"):
        page = client.get(address)
        assert page.status_code == 503
        assert int(page["Retry-After"]) > 0
        assert "The forum&#x27;s search is unavailable right now" in page.content.decode()
        assert "Traceback" not in page.content.decode()

    # Pages that do not read the forum's tables: a visitor's (a member's header counts their
    # forum notifications, which live in the same tables).
    client.logout()
    assert client.get("/en/library/").status_code == 200
    assert client.get("/en/").status_code == 200
