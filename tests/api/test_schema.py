"""The API against its own OpenAPI schema: for every operation, Schemathesis generates requests
from the schema (valid and invalid parameters and bodies) and sends them to the application in
process. No answer may be a server error, and every answer must have a documented status and
content type and a body that matches the documented schema.

The examples are bounded and derandomized so that a run is short and the same everywhere. The
database holds a little published content of each kind (and some unpublished) so that lists and
details answer with real items, not only with empty pages and 404s. Write operations are sent
with a partner's valid token; what they accept and refuse has tests of its own."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


def _schema():
    # The API as the URLconf serves it at /api/v1/.
    api = resolve(reverse("api:openapi-json")).func.keywords["api"]
    return schemathesis.openapi.from_dict(api.get_openapi_schema())


schema = _schema()


@pytest.fixture(scope="module")
def app():
    """The WSGI application as a server runs it. The start and end of each request close the
    database connection, as they should in production; here that would end the test's
    transaction, so the signals are held off as Django's own test client does."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """A little of everything the API publishes (and a little unpublished), made once for all the
    operations through the apps' services and factories, and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _content_create()
        transaction.set_rollback(True)


def _content_create() -> str:
    """Make the content; return a partner's token with every scope, for the write operations."""
    from hw4all.campaigns import services as campaigns
    from hw4all.coalition.factories import OrganisationFactory, ProjectParticipationFactory, user_in
    from hw4all.coalition.models import ApiScope
    from hw4all.coalition.services import api_token_issue
    from hw4all.events.models import EventIndexPage
    from hw4all.events.services import event_create
    from hw4all.forum.factories import SpaceFactory
    from hw4all.forum.tests.test_notifications import make_proposal, make_thread
    from hw4all.library.factories import ResourceFactory, ResourceFileFactory
    from hw4all.news.models import NewsIndexPage
    from hw4all.news.services import article_create
    from hw4all.pages.services import home_page_ensure
    from hw4all.practices.factories import CaseStudyFactory
    from hw4all.questionnaires.tests.survey_data import ANSWERS, responses_add, survey_create
    from hw4all.users.roles import MEMBER
    from hw4all.workforce.tests.world_data import world_create

    home = home_page_ensure(title="Health Workers for All", intro="A sustainable health workforce.")
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    news.save_revision().publish()
    events = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    events.save_revision().publish()

    today = datetime.date(2026, 1, 15)
    article_create(index=news, title="Invest in health workers", kind="news", date=today, summary="Now.")
    article_create(index=news, title="Draft", kind="news", date=today, summary="Later.", publish=False)
    start = timezone.now() + datetime.timedelta(days=10)
    event_create(
        index=events,
        title="Side event at the World Health Assembly",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Zurich",
        summary="The WHO Code.",
    )
    organisation = OrganisationFactory(name="Wemos", slug="wemos", country="NL")
    member = user_in(MEMBER, organisation=organisation)
    ProjectParticipationFactory(organisation=organisation)
    index = campaigns.campaigns_index_ensure(home=home)
    campaigns.campaign_create(index=index, title="Fund the workforce", summary="Sign.", goal=500)
    ResourceFileFactory(resource=ResourceFactory(title="Migration report"))
    CaseStudyFactory(published=True)
    space = SpaceFactory(slug="global")
    make_proposal(space, member)
    make_thread(space, member)
    responses_add(survey_create(slug="workforce", results_public=True), ANSWERS)
    world_create()
    _token, plaintext = api_token_issue(
        organisation=organisation, name="Partner site", scopes=ApiScope.values, source="partner", by=None
    )
    return plaintext


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_matches_the_schema(case, app, content, db):
    case.call_and_validate(
        app=app,
        # The transport reads bodies as sent; the site compresses for clients that accept it.
        headers={"Accept-Encoding": "identity", "Authorization": f"Bearer {content}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
