"""Organisations' API tokens: issued, changed and revoked by the Secretariat, stored hashed, checked
on every write (scope, origin), logged on every use, and the origins they register open CORS.

The writes used here are the API's own: posting a signature (the token is checked before the
campaign is looked up, so an unknown campaign is a 404 once the token passes) and submitting a
library resource."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hw4all.coalition import services
from hw4all.coalition.factories import OrganisationFactory
from hw4all.coalition.models import ApiScope, ApiToken, ApiTokenUse, origin_normalise
from hw4all.coalition.queries import api_token_find

PARTNER_SITE = "https://www.nurses.example.org"
OTHER_SITE = "https://evil.example.com"
SIGN = "/api/v1/campaigns/999999/signatures"
SUBMIT = "/api/v1/library/submissions"
ADMIN = "/admin/api-tokens/"
SIGNATURE = {"name": "Amina Diallo", "email": "amina@example.org", "country": "KE"}
RESOURCE = {
    "title": "Nurses on the move",
    "summary": "Where Kenyan nurses go.",
    "url": "https://www.nurses.example.org/report.pdf",
}


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Nurses' Union", acronym="NU", slug="nurses-union")


@pytest.fixture
def issue(organisation):
    def make(scopes=(ApiScope.SIGNATURES, ApiScope.LIBRARY), origins="", **fields):
        return services.api_token_issue(
            organisation=fields.pop("organisation", organisation),
            name=fields.pop("name", "Petition form"),
            scopes=scopes,
            origins=origins,
            by=None,
            **fields,
        )

    return make


def post(client, url, payload, plaintext, origin=None):
    headers = {"Authorization": f"Bearer {plaintext}"}
    if origin is not None:
        headers["Origin"] = origin
    return client.post(url, payload, content_type="application/json", headers=headers)


def preflight(client, origin, url=SIGN):
    return client.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


# Issuing and storing


def test_only_a_hash_of_the_token_is_stored(issue):
    token, plaintext = issue()
    assert len(plaintext) >= 40
    assert plaintext.startswith(token.prefix)
    assert len(token.prefix) < 16
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM coalition_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert plaintext not in stored
    assert plaintext[len(token.prefix) :] not in stored
    assert api_token_find(plaintext=plaintext) == token
    assert api_token_find(plaintext=token.token_hash) is None


def test_two_tokens_never_share_a_secret(issue):
    secrets = {issue()[1] for _ in range(5)}
    assert len(secrets) == 5


def test_the_source_defaults_to_the_organisations_slug(issue):
    assert issue()[0].source == "nurses-union"
    assert issue(source="nu-website")[0].source == "nu-website"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.example.org", "https://www.example.org"),
        ("HTTPS://WWW.Example.org/", "https://www.example.org"),
        ("https://www.example.org:443", "https://www.example.org"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_origins_are_kept_as_browsers_send_them(value, expected):
    assert origin_normalise(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "null",
        "www.example.org",
        "ftp://example.org",
        "https://example.org/petition",
        "https://user:pw@example.org",
        "https://example.org?x=1",
        "https://*.example.org",
        "https://example.org:99999",
        "javascript:alert(1)",
    ],
)
def test_anything_but_an_origin_is_refused(issue, value):
    with pytest.raises(ValidationError) as error:
        issue(origins=f"{PARTNER_SITE}\n{value}")
    assert "origins" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_token_may_do_at_least_one_known_thing(issue):
    for scopes in ([], ["everything"]):
        with pytest.raises(ValidationError) as error:
            issue(scopes=scopes)
        assert "scopes" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_origins_are_stored_one_a_line_without_repeats(issue):
    token, _ = issue(origins=f"  {PARTNER_SITE}/\n\nHTTPS://www.nurses.example.org\nhttp://localhost:8080 ")
    assert token.origin_list() == [PARTNER_SITE, "http://localhost:8080"]


# Authentication of writes


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer ", "Bearer"])
def test_without_a_known_token_it_is_401_and_nothing_is_logged(client, issue, header):
    issue()
    headers = {"Authorization": header} if header is not None else {}
    response = client.post(SIGN, SIGNATURE, content_type="application/json", headers=headers)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert not ApiTokenUse.objects.exists()


def test_a_revoked_token_is_401_and_its_use_is_logged(client, issue, secretariat_user):
    token, plaintext = issue()
    assert post(client, SIGN, SIGNATURE, plaintext).status_code == 404
    services.api_token_revoke(token=token, by=secretariat_user)
    body = assert_problem(post(client, SIGN, SIGNATURE, plaintext), 401)
    assert "revoked" in body["detail"]
    assert list(token.uses.values_list("status_code", flat=True)) == [401, 404]
    token.refresh_from_db()
    assert token.revoked_by == secretariat_user


def test_revoking_twice_keeps_the_first_revocation(issue, secretariat_user, steering_user):
    token, _ = issue()
    services.api_token_revoke(token=token, by=secretariat_user)
    first = token.revoked_at
    services.api_token_revoke(token=token, by=steering_user)
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (first, secretariat_user)


def test_a_token_without_the_scope_is_403(client, issue):
    token, plaintext = issue(scopes=[ApiScope.LIBRARY])
    body = assert_problem(post(client, SIGN, SIGNATURE, plaintext), 403)
    assert "may not" in body["detail"]
    use = token.uses.get()
    assert (use.method, use.path, use.status_code) == ("POST", SIGN, 403)
    token.refresh_from_db()
    assert token.last_used_at is None


def test_an_origin_that_is_not_the_tokens_is_403(client, issue):
    token, plaintext = issue(origins=PARTNER_SITE)
    body = assert_problem(post(client, SIGN, SIGNATURE, plaintext, origin=OTHER_SITE), 403)
    assert OTHER_SITE in body["detail"]
    assert token.uses.get().origin == OTHER_SITE


def test_a_server_only_token_is_refused_from_any_web_page(client, issue):
    _, plaintext = issue(origins="")
    assert_problem(post(client, SIGN, SIGNATURE, plaintext, origin=PARTNER_SITE), 403)
    # Without an Origin header (a server's request) it passes and reaches the operation.
    assert post(client, SIGN, SIGNATURE, plaintext).status_code == 404


def test_a_write_from_the_tokens_origin_is_accepted_with_cors_headers(client, issue):
    token, plaintext = issue(origins=PARTNER_SITE)
    response = post(client, SUBMIT, RESOURCE, plaintext, origin=PARTNER_SITE)
    assert response.status_code == 202
    assert response["Access-Control-Allow-Origin"] == PARTNER_SITE
    assert "Origin" in response["Vary"]
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_every_use_is_logged_and_an_accepted_one_marks_the_token_used(client, issue):
    token, plaintext = issue(origins=PARTNER_SITE)
    post(client, SUBMIT, RESOURCE, plaintext, origin=PARTNER_SITE)
    post(client, SUBMIT, {"title": "No summary"}, plaintext, origin=PARTNER_SITE)
    post(client, SUBMIT, RESOURCE, plaintext, origin=OTHER_SITE)
    uses = list(token.uses.all())
    assert [use.status_code for use in uses] == [403, 422, 202]
    assert {use.path for use in uses} == {SUBMIT}
    assert uses[-1].origin == PARTNER_SITE
    assert uses[-1].remote_addr == "127.0.0.1"
    token.refresh_from_db()
    assert token.last_used_at == uses[1].at


def test_hostile_headers_are_logged_cut_to_size(client, issue):
    token, plaintext = issue(origins=PARTNER_SITE)
    origin = "https://" + "x" * 1000 + ".example.org"
    assert_problem(post(client, SIGN, SIGNATURE, plaintext, origin=origin), 403)
    assert token.uses.get().origin == origin[:255]


# CORS for writes from the tokens' origins


def test_a_preflight_from_a_registered_origin_is_allowed(client, issue):
    issue(origins=PARTNER_SITE)
    response = preflight(client, PARTNER_SITE)
    assert response["Access-Control-Allow-Origin"] == PARTNER_SITE
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"].lower()
    assert "Origin" in response["Vary"]
    refused = preflight(client, OTHER_SITE)
    assert not refused.has_header("Access-Control-Allow-Origin")


def test_a_preflight_costs_no_query_once_the_origins_are_known(client, issue):
    issue(origins=PARTNER_SITE)
    preflight(client, PARTNER_SITE)
    with CaptureQueriesContext(connection) as captured:
        assert preflight(client, PARTNER_SITE)["Access-Control-Allow-Origin"] == PARTNER_SITE
        assert not preflight(client, OTHER_SITE).has_header("Access-Control-Allow-Origin")
    assert len(captured) == 0


def test_issuing_editing_and_revoking_change_the_allowed_origins_at_once(client, issue):
    assert not preflight(client, PARTNER_SITE).has_header("Access-Control-Allow-Origin")
    token, _ = issue(origins=PARTNER_SITE)
    assert preflight(client, PARTNER_SITE)["Access-Control-Allow-Origin"] == PARTNER_SITE
    services.api_token_update(
        token=token, name=token.name, scopes=token.scopes, origins="https://new.example.org"
    )
    assert not preflight(client, PARTNER_SITE).has_header("Access-Control-Allow-Origin")
    assert (
        preflight(client, "https://new.example.org")["Access-Control-Allow-Origin"]
        == "https://new.example.org"
    )
    services.api_token_revoke(token=token, by=None)
    assert not preflight(client, "https://new.example.org").has_header("Access-Control-Allow-Origin")


def test_the_operators_listed_origins_still_write(client, settings, db):
    settings.API_CORS_WRITE_ORIGINS = [PARTNER_SITE]
    assert preflight(client, PARTNER_SITE)["Access-Control-Allow-Origin"] == PARTNER_SITE


# The admin


def _issue_in_admin(client, organisation, **fields):
    data = {
        "organisation": organisation.pk,
        "name": "Petition form",
        "scopes": [ApiScope.SIGNATURES],
        "origins": PARTNER_SITE,
        "source": "",
        **fields,
    }
    return client.post(f"{ADMIN}new/", data)


@pytest.mark.permission("api_tokens:add", "role")
@pytest.mark.permission("api_tokens:index", "role")
@pytest.mark.permission("api_tokens:index_results", "role")
@pytest.mark.permission("api_tokens:edit", "role")
@pytest.mark.permission("api_tokens:revoke", "role")
@pytest.mark.permission("api_tokens:uses", "role")
@pytest.mark.parametrize("role", ["member", "reviewer", "steering", "anonymous"])
def test_only_the_secretariat_manages_tokens(client, issue, organisation, role, request):
    token, plaintext = issue()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(f"{role}_user"))
    for url in (ADMIN, f"{ADMIN}results/", f"{ADMIN}new/", f"{ADMIN}edit/{token.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Petition form" not in response.content
    for url in (f"{ADMIN}revoke/{token.pk}/", f"{ADMIN}uses/{token.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Petition form" not in response.content
    assert _issue_in_admin(client, organisation, name="Intruder").status_code in (302, 403)
    client.post(
        f"{ADMIN}edit/{token.pk}/", {"name": "Hijacked", "scopes": ["library"], "origins": OTHER_SITE}
    )
    client.post(f"{ADMIN}revoke/{token.pk}/")
    token.refresh_from_db()
    assert (token.name, token.origins, token.revoked_at) == ("Petition form", "", None)
    assert ApiToken.objects.count() == 1


def test_the_secretariat_sees_the_tokens(client, issue, secretariat_user, hostile):
    issue(name=hostile, origins=PARTNER_SITE)
    client.force_login(secretariat_user)
    for url in (ADMIN, f"{ADMIN}results/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nurses&#x27; Union" in html
        assert PARTNER_SITE in html
        assert hostile not in html
        assert "&lt;script&gt;" in html


def test_the_secretariat_issues_a_token_and_sees_it_once(client, organisation, secretariat_user):
    client.force_login(secretariat_user)
    assert client.get(f"{ADMIN}new/").status_code == 200
    response = _issue_in_admin(client, organisation, scopes=[ApiScope.SIGNATURES, ApiScope.LIBRARY])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "will not be shown again" in html
    plaintext = re.search(r'value="(hw4all_[\w-]{40,})"', html).group(1)
    token = ApiToken.objects.get()
    assert (token.organisation, token.source, token.created_by) == (
        organisation,
        "nurses-union",
        secretariat_user,
    )
    assert token.scopes == [ApiScope.SIGNATURES, ApiScope.LIBRARY]
    assert api_token_find(plaintext=plaintext) == token
    for url in (ADMIN, f"{ADMIN}edit/{token.pk}/", f"{ADMIN}uses/{token.pk}/", f"{ADMIN}revoke/{token.pk}/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert plaintext.encode() not in page.content
        assert token.prefix.encode() in page.content or url == f"{ADMIN}edit/{token.pk}/"


def test_the_issue_form_says_what_is_wrong(client, organisation, secretariat_user):
    client.force_login(secretariat_user)
    response = _issue_in_admin(client, organisation, scopes=[], origins="https://example.org/form")
    assert response.status_code == 200
    assert "at least one" in response.content.decode()
    assert "is not an origin" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_secretariat_changes_what_a_token_may_do_and_from_where(client, issue, secretariat_user):
    token, plaintext = issue(scopes=[ApiScope.SIGNATURES], origins=PARTNER_SITE)
    client.force_login(secretariat_user)
    assert client.get(f"{ADMIN}edit/{token.pk}/").status_code == 200
    response = client.post(
        f"{ADMIN}edit/{token.pk}/",
        {"name": "Library feed", "scopes": [ApiScope.LIBRARY], "origins": "https://library.example.org"},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.name, token.scopes, token.origins) == (
        "Library feed",
        [ApiScope.LIBRARY],
        "https://library.example.org",
    )
    assert api_token_find(plaintext=plaintext) == token
    assert_problem(post(Client(), SIGN, SIGNATURE, plaintext), 403)


def test_the_secretariat_revokes_a_token_after_confirming(issue, secretariat_user):
    token, plaintext = issue()
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    page = client.get(f"{ADMIN}revoke/{token.pk}/")
    assert page.status_code == 200
    assert "will be refused" in page.content.decode()
    token.refresh_from_db()
    assert token.is_active
    assert client.post(f"{ADMIN}revoke/{token.pk}/").status_code == 403
    token.refresh_from_db()
    assert token.is_active
    response = client.post(
        f"{ADMIN}revoke/{token.pk}/", {"csrfmiddlewaretoken": str(page.context["csrf_token"])}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.is_active, token.revoked_by) == (False, secretariat_user)
    assert_problem(post(Client(), SIGN, SIGNATURE, plaintext), 401)
    assert client.get(f"{ADMIN}delete/{token.pk}/").status_code != 200
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_use_log_is_newest_first_and_paginated(client, issue, secretariat_user):
    token, plaintext = issue(scopes=[ApiScope.LIBRARY], origins=PARTNER_SITE)
    for number in range(55):
        services.api_token_use_log(
            token=token, method="POST", path=f"/api/v1/x/{number}", status_code=202, accepted=True
        )
    assert_problem(post(client, SIGN, SIGNATURE, plaintext, origin='"><script>alert(1)</script>'), 403)
    client.force_login(secretariat_user)
    first = client.get(f"{ADMIN}uses/{token.pk}/").content.decode()
    assert first.index(SIGN) < first.index("/api/v1/x/54") < first.index("/api/v1/x/10")
    assert "/api/v1/x/4<" not in first
    assert "<script>alert(1)" not in first
    assert "&lt;script&gt;" in first
    second = client.get(f"{ADMIN}uses/{token.pk}/", {"p": 2}).content.decode()
    assert "/api/v1/x/4<" in second
    assert "/api/v1/x/54" not in second
    assert client.get(f"{ADMIN}uses/{token.pk}/", {"p": "x"}).status_code == 200
