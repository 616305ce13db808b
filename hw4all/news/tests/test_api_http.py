"""HTTP caching and CORS of the public API, as a partner's code or a browser meets them, on the
list of articles (hw4all/core/apihttp.py serves every /api/v1/ address the same way)."""

import pytest
from django.utils.http import parse_http_date

from hw4all.users.roles import MEMBER
from hw4all.users.services import user_create

pytestmark = pytest.mark.cache

LIST = "/api/v1/articles/"
PARTNER_SITE = "https://partner.example.org"


@pytest.fixture
def article(make_article):
    return make_article(title='Nurses "leave" </script><script>alert(1)</script>')


def test_a_read_has_a_strong_etag_that_stays_while_the_data_stay(client, article):
    first = client.get(LIST)
    second = client.get(LIST)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert second["ETag"] == etag
    assert first.json()["items"][0]["title"] == 'Nurses "leave" </script><script>alert(1)</script>'


def test_the_etag_changes_when_an_article_is_published(client, make_article, article):
    before = client.get(LIST)["ETag"]
    make_article(title="A new statement")
    after = client.get(LIST, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after["ETag"] != before
    assert [item["title"] for item in after.json()["items"]][0] == "A new statement"


def test_the_etag_differs_by_language_asked(client, article):
    english = client.get(LIST, headers={"Accept-Language": "en"})
    french = client.get(f"{LIST}?lang=fr", headers={"Accept-Language": "fr"})
    assert "Accept-Language" in english["Vary"]
    assert french.json()["items"] == []
    assert english["ETag"] != french["ETag"]


def test_a_matching_if_none_match_gets_304_without_a_body(client, article):
    etag = client.get(LIST)["ETag"]
    # The first revalidation runs the view; the second is answered from the memo of the ETag.
    for _ in range(2):
        response = client.get(LIST, headers={"If-None-Match": etag, "Origin": PARTNER_SITE})
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_a_weak_form_of_the_etag_also_matches(client, article):
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304


def test_an_etag_of_another_address_does_not_match(client, article):
    etag = client.get(LIST)["ETag"]
    response = client.get(f"{LIST}?kind=statement", headers={"If-None-Match": etag})
    assert response.status_code == 200


def test_head_has_the_headers_of_get_and_no_body(client, article):
    get = client.get(LIST)
    head = client.head(LIST)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))
    assert head["Cache-Control"] == "public, max-age=60"
    assert client.head(LIST, headers={"If-None-Match": get["ETag"]}).status_code == 304


def test_anonymous_reads_may_be_cached_publicly(client, article):
    response = client.get(LIST)
    assert response["Cache-Control"] == "public, max-age=60"
    assert {"Accept-Language", "Authorization"} <= {part.strip() for part in response["Vary"].split(",")}


def test_a_signed_in_member_gets_a_private_answer(client, article):
    client.force_login(
        user_create(email="member@example.org", password="a-Long-passphrase-4", roles=(MEMBER,))
    )
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # Revalidation still works, and is never answered with a public header.
    revalidated = client.get(LIST, headers={"If-None-Match": response["ETag"]})
    assert revalidated.status_code == 304
    assert revalidated["Cache-Control"] == "private, no-store"


def test_a_request_with_an_authorization_header_gets_a_private_answer(client, article):
    anonymous = client.get(LIST)
    response = client.get(LIST, headers={"Authorization": "Bearer some-partner-token"})
    assert response["Cache-Control"] == "private, no-store"
    revalidated = client.get(
        LIST, headers={"Authorization": "Bearer some-partner-token", "If-None-Match": anonymous["ETag"]}
    )
    assert revalidated.status_code == 304
    assert revalidated["Cache-Control"] == "private, no-store"


def test_errors_are_not_given_a_public_cache_control(client, db):
    response = client.get("/api/v1/articles/999999")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")
    # A script on another origin can still read the problem it caused.
    assert response["Access-Control-Allow-Origin"] == "*"


def test_pages_outside_the_api_are_left_alone(client, article):
    response = client.get("/en/news/", headers={"Origin": PARTNER_SITE})
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")
    assert "max-age=60" not in response.get("Cache-Control", "")


def test_reads_are_open_to_any_origin_without_credentials(client, article):
    response = client.get(LIST, headers={"Origin": "https://anyone.example.net"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_preflight_for_a_read_is_answered_for_any_origin(client, db):
    response = client.options(
        LIST,
        headers={
            "Origin": "https://anyone.example.net",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match, accept-language",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    allowed = {header.strip().lower() for header in response["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "accept-language"} <= allowed


def _sign(client, origin: str):
    return client.post(
        "/api/v1/campaigns/1/signatures",
        data={},
        content_type="application/json",
        headers={"Origin": origin, "Authorization": "Bearer not-a-token"},
    )


def _preflight_write(client, origin: str):
    return client.options(
        "/api/v1/campaigns/1/signatures",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_a_write_from_an_unlisted_origin_gets_no_cors_headers(client, settings, db):
    settings.API_CORS_WRITE_ORIGINS = [PARTNER_SITE]
    hostile = 'https://evil.example.com"\r\nSet-Cookie: x=1'
    for origin in ("https://evil.example.com", hostile):
        preflight = _preflight_write(client, origin)
        assert not preflight.has_header("Access-Control-Allow-Origin")
        assert not preflight.has_header("Access-Control-Allow-Methods")
        response = _sign(client, origin)
        assert response.status_code == 401
        assert not response.has_header("Access-Control-Allow-Origin")
        assert "x=1" not in str(response.cookies)


def test_a_write_from_a_listed_origin_echoes_it(client, settings, db):
    settings.API_CORS_WRITE_ORIGINS = [PARTNER_SITE]
    preflight = _preflight_write(client, PARTNER_SITE)
    assert preflight["Access-Control-Allow-Origin"] == PARTNER_SITE
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "authorization" in preflight["Access-Control-Allow-Headers"].lower()
    assert "Origin" in preflight["Vary"]
    response = _sign(client, PARTNER_SITE)
    assert response["Access-Control-Allow-Origin"] == PARTNER_SITE
    assert "Origin" in response["Vary"]
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_read_is_dated_from_when_it_last_changed(client, make_article, article):
    first = client.get(LIST)
    assert first.has_header("Last-Modified")
    assert client.get(LIST)["Last-Modified"] == first["Last-Modified"]
    unchanged = client.get(LIST, headers={"If-Modified-Since": first["Last-Modified"]})
    assert unchanged.status_code == 304

    make_article(title="A new statement")
    # Within the same second: the new list is sent, not a 304.
    changed = client.get(LIST, headers={"If-Modified-Since": first["Last-Modified"]})
    assert changed.status_code == 200
    assert changed.json()["items"][0]["title"] == "A new statement"
    if changed.has_header("Last-Modified"):
        assert parse_http_date(changed["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_a_compressed_read_keeps_its_etag_and_can_be_revalidated(client, make_article, article):
    # Compressed bodies differ on every request (random padding against BREACH): the tag is the
    # content's, weak since the bytes are not the same. Enough articles that gzip always wins
    # over its up to 100 bytes of padding: the middleware sends a body uncompressed otherwise.
    for _ in range(4):
        make_article()
    first = client.get(LIST, headers={"Accept-Encoding": "gzip"})
    second = client.get(LIST, headers={"Accept-Encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith('W/"')
    revalidated = client.get(LIST, headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304
