"""The site of a request is remembered per host, and forgotten when a site changes."""

import pytest
from wagtail.models import Page, Site

from hw4all.core import middleware


@pytest.fixture(autouse=True)
def _forget(settings):
    settings.SITE_LOOKUP_SECONDS = 60
    middleware.site_lookups_forget()
    yield
    middleware.site_lookups_forget()


def site_of(rf, host: str):
    request = rf.get("/", HTTP_HOST=host)
    middleware.SiteLookupMiddleware(lambda request: request._wagtail_site)(request)
    return request._wagtail_site


@pytest.mark.django_db
def test_each_host_gets_its_own_site_and_the_default_answers_unknown_hosts(rf, settings):
    settings.ALLOWED_HOSTS = ["*"]
    root = Page.get_first_root_node()
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="partner.example.org", port=80, root_page=root, site_name="Partner")
    assert site_of(rf, "partner.example.org").pk == other.pk
    assert site_of(rf, "partner.example.org").site_name == "Partner"
    assert site_of(rf, "unknown.example.org").pk == default.pk


@pytest.mark.django_db
def test_a_changed_site_is_seen_at_once_in_the_process_that_changed_it(rf, settings):
    settings.ALLOWED_HOSTS = ["*"]
    site = Site.objects.get(is_default_site=True)
    assert site_of(rf, "127.0.0.1").site_name == site.site_name
    site.site_name = "Health Workers for All, renamed"
    site.save()
    assert site_of(rf, "127.0.0.1").site_name == "Health Workers for All, renamed"


@pytest.mark.django_db
def test_each_request_gets_its_own_instance(rf, settings):
    settings.ALLOWED_HOSTS = ["*"]
    assert site_of(rf, "127.0.0.1") is not site_of(rf, "127.0.0.1")


@pytest.mark.django_db
def test_hostile_host_headers_do_not_grow_the_memory_without_bound(rf, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for number in range(middleware.SITE_LOOKUP_HOSTS_MAX * 3):
        site_of(rf, f"host{number}.example.org")
    assert len(middleware._site_lookups) <= middleware.SITE_LOOKUP_HOSTS_MAX


@pytest.mark.django_db
def test_the_api_keeps_wagtails_own_lookup(rf):
    request = rf.get("/api/v1/campaigns/")
    middleware.SiteLookupMiddleware(lambda request: request)(request)

    assert not hasattr(request, "_wagtail_site")
    assert middleware._site_lookups == {}


@pytest.mark.django_db
def test_a_form_post_gets_the_site_remembered_for_its_host(rf, settings):
    settings.ALLOWED_HOSTS = ["*"]
    page_site = site_of(rf, "127.0.0.1")
    post = rf.post("/en/signatures/confirm/token/", HTTP_HOST="127.0.0.1")

    middleware.SiteLookupMiddleware(lambda request: request)(post)

    assert post._wagtail_site.pk == page_site.pk
    assert post._wagtail_site is not page_site
