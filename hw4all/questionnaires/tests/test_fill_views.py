"""The survey pages for every role: the list, the landing page, starting, the form (saved,
re-shown with its errors, submitted), autosave, the thank-you page; CSRF, escaping, caching."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, QuestionnaireStatus, Response, ResponseStatus
from hw4all.questionnaires.rendering import flatten
from hw4all.questionnaires.services.responses import loaded_record, response_save, response_start
from hw4all.questionnaires.tests.fill_data import FORM, form_create
from hw4all.users.roles import MEMBER, SECRETARIAT

pytestmark = pytest.mark.cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits live in the cache; a page in French leaves French active for reverse()."""
    cache.clear()
    translation.activate("en")
    yield
    cache.clear()
    translation.activate("en")


def url(name, response, **extra):
    return reverse(
        f"questionnaires:{name}", kwargs={"slug": response.questionnaire.slug, "key": response.key, **extra}
    )


def page_data(response, **changes):
    """The form as the page posts it."""
    data = {
        key: values if len(values) > 1 else values[0]
        for key, values in flatten(response.version.definition, response.answers).items()
    }
    data.update(loaded=json.dumps(loaded_record(response)), revision=str(response.revision), **changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def public(db):
    return form_create(slug="public-survey")


@pytest.fixture
def identified(db):
    return form_create(slug="members-survey", access=Access.IDENTIFIED)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(is_member=True, name="Nurses of Kenya")


@pytest.fixture
def member(organisation):
    return user_in(MEMBER, organisation=organisation)


@pytest.fixture
def colleague(organisation):
    return user_in(MEMBER, organisation=organisation)


@pytest.fixture
def other_member(db):
    return user_in(MEMBER, organisation=OrganisationFactory(is_member=True))


@pytest.fixture
def secretary(db):
    return user_in(SECRETARIAT)


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# -- The list and the landing page ---------------------------------------------------------------


def test_the_list_shows_open_surveys_and_public_results(db):
    form_create(slug="open-one")
    form_create(slug="invited", access=Access.INVITATION)
    form_create(slug="members", access=Access.IDENTIFIED)
    form_create(slug="embedded", access=Access.EMBEDDED)
    form_create(slug="draft", status=QuestionnaireStatus.DRAFT)
    closed = form_create(slug="closed-results", status=QuestionnaireStatus.CLOSED)
    closed.results_public = True
    closed.save()
    form_create(slug="closed-hidden", status=QuestionnaireStatus.CLOSED)
    page = Client().get(reverse("questionnaires:list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "/surveys/open-one/" in html and "By invitation" in html and "/surveys/members/" in html
    assert "embedded" not in html and "/surveys/draft/" not in html and "closed-hidden" not in html
    assert "/surveys/closed-results/results/" in html
    assert "no-cache" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]


def test_the_landing_page_says_what_it_takes_and_how_privacy_is_kept(public):
    page = Client().get(reverse("questionnaires:start", args=[public.slug]))
    html = page.content.decode()
    assert "Health workforce survey" in html
    assert "network (IP) address" in html
    assert re.search(r"<dd>1[0-9]</dd>", html)  # questions counted, notes left out
    assert '<meta name="robots" content="noindex, nofollow">' in html


@pytest.mark.permission("questionnaires:start", "public")
@pytest.mark.parametrize("access", [Access.EMBEDDED])
def test_embedded_and_draft_questionnaires_are_not_answered_here(db, access):
    embedded = form_create(slug="embedded", access=access)
    draft = form_create(slug="draft", status=QuestionnaireStatus.DRAFT)
    response = response_start(questionnaire=embedded, organisation=OrganisationFactory())
    client = signed_in(user_in(SECRETARIAT))
    assert client.get(reverse("questionnaires:start", args=["embedded"])).status_code == 404
    assert client.get(reverse("questionnaires:start", args=["draft"])).status_code == 404
    assert client.post(reverse("questionnaires:start", args=[draft.slug])).status_code == 404
    for name in ("response", "done"):
        assert client.get(url(name, response)).status_code == 404
    assert client.post(url("autosave", response), {}).status_code == 404


def test_starting_an_anonymous_response_stores_no_one(public, member):
    reply = signed_in(member).post(
        reverse("questionnaires:start", args=[public.slug]), REMOTE_ADDR="203.0.113.9"
    )
    response = Response.objects.get(questionnaire=public)
    assert reply.status_code == 302 and reply["Location"] == url("response", response)
    row = Response.objects.filter(pk=response.pk).values().get()
    assert row["user_id"] is None and row["organisation_id"] is None
    assert "203.0.113.9" not in json.dumps(row, default=str)


def test_starting_is_rate_limited_per_network(public, settings):
    settings.RATE_LIMITS_ENABLED = True
    client = Client()
    start = reverse("questionnaires:start", args=[public.slug])
    for _ in range(30):
        assert client.post(start, REMOTE_ADDR="198.51.100.1").status_code == 302
    refused = client.post(start, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429 and "Too many responses" in refused.content.decode()
    assert client.post(start, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_closed_questionnaire_starts_nothing(public):
    public.status = QuestionnaireStatus.CLOSED
    public.save()
    start = reverse("questionnaires:start", args=[public.slug])
    assert "closed" in Client().get(start).content.decode()
    assert Client().post(start).status_code == 409
    assert not Response.objects.exists()


@pytest.mark.permission("questionnaires:start", "object")
def test_an_invitation_questionnaire_cannot_be_started_without_the_link(db):
    invited = form_create(slug="invited", access=Access.INVITATION)
    assert Client().post(reverse("questionnaires:start", args=[invited.slug])).status_code == 403


# -- Identified questionnaires: one response per organisation ----------------------------------------


@pytest.mark.permission("questionnaires:start", "authenticated")
def test_identified_needs_a_signed_in_member(identified, db):
    start = reverse("questionnaires:start", args=[identified.slug])
    assert Client().post(start)["Location"].startswith(reverse("account_login"))
    unaffiliated = user_in(MEMBER, organisation=OrganisationFactory(is_member=False))
    assert signed_in(unaffiliated).post(start).status_code == 403
    assert not Response.objects.exists()


def test_a_colleague_on_another_device_continues_the_organisations_response(identified, member, colleague):
    start = reverse("questionnaires:start", args=[identified.slug])
    first = signed_in(member).post(start)
    response = Response.objects.get()
    assert response.organisation.name == "Nurses of Kenya" and response.user == member
    page = signed_in(colleague).get(start)
    assert "Continue Nurses of Kenya" in page.content.decode()
    second = signed_in(colleague).post(start)
    assert first["Location"] == second["Location"] == url("response", response)
    assert Response.objects.count() == 1


@pytest.mark.permission("questionnaires:autosave", "object")
@pytest.mark.permission("questionnaires:response", "object")
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 200), ("colleague", 200), ("other_member", 403), ("secretary", 200)],
)
def test_who_may_open_an_identified_response(
    identified, member, colleague, other_member, secretary, who, expected
):
    users = {"anonymous": None, "member": member, "colleague": colleague, "other_member": other_member}
    users["secretary"] = secretary
    response = response_start(questionnaire=identified, user=member, organisation=member.person.organisation)
    client = signed_in(users[who])
    reply = client.get(url("response", response))
    assert reply.status_code == expected
    if who == "anonymous":
        assert reply["Location"].startswith(reverse("account_login"))
    saved = client.post(url("response", response), page_data(response, role="Changed"))
    autosaved = client.post(url("autosave", response), page_data(response, role="Changed"))
    if expected == 200:
        assert saved.status_code == 302 and autosaved.status_code == 200
    else:
        assert saved.status_code == autosaved.status_code == expected
        assert Response.objects.get(pk=response.pk).answers == {}


@pytest.mark.permission("questionnaires:response", "object")
@pytest.mark.parametrize("who", ["anonymous", "member", "other_member", "secretary"])
def test_an_anonymous_response_is_open_to_whoever_holds_its_key(public, member, other_member, secretary, who):
    users = {"anonymous": None, "member": member, "other_member": other_member, "secretary": secretary}
    response = response_start(questionnaire=public)
    client = signed_in(users[who])
    assert client.get(url("response", response)).status_code == 200
    assert client.get(url("response", response).replace(response.key, "x" * 32)).status_code == 404


# -- The form ------------------------------------------------------------------------------------------


@pytest.fixture
def response(public):
    return response_start(questionnaire=public)


def test_the_form_shows_every_section_and_question_accessibly(response):
    html = Client().get(url("response", response)).content.decode()
    assert html.count('<fieldset class="qsection"') == 2 and "<legend><h2>About you</h2></legend>" in html
    assert 'href="#section-work"' in html  # table of contents
    assert (
        '<label class="question__label" for="q-role">Your role <span class="question__required">(required)'
        in html
    )
    assert "Answer if “Have you migrated?” is “Yes”" in html
    assert 'type="number" id="q-years" name="years" value="" step="1" min="0" max="100"' in html
    assert 'aria-describedby="q-years-hint"' in html and "Unit: years" in html
    assert '<option value="KE">Kenya</option>' in html
    assert '<th scope="row" id="q-satisfaction-r0">Pay</th>' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<template data-block-template="agreements">' in html
    assert 'name="add_block" value="agreements"' in html
    assert 'name="save"' in html and 'name="submit"' in html
    assert "js/questionnaires.js" in html


def test_the_form_speaks_the_page_language_with_the_default_as_fallback(response):
    html = Client().get(url("response", response).replace("/en/", "/fr/", 1), follow=True).content.decode()
    assert "Votre rôle" in html  # translated
    assert "Your story" in html  # not translated: the questionnaire's default language
    assert '<option value="DE">Allemagne</option>' in html


def test_a_good_save_redirects_and_keeps_the_answers(response):
    client = Client()
    reply = client.post(url("response", response), page_data(response, role="Nurse", years="12"))
    assert reply.status_code == 302 and reply["Location"] == url("response", response)
    assert Response.objects.get(pk=response.pk).answers == {"role": "Nurse", "years": 12}
    html = client.get(reply["Location"]).content.decode()
    assert 'value="Nurse"' in html and "Your draft is saved" in html


def test_errors_come_back_at_their_questions_with_nothing_lost(response):
    reply = Client().post(
        url("response", response),
        page_data(response, role="Nurse", years="twelve", started="1800-01-01", story="My story"),
    )
    html = reply.content.decode()
    assert reply.status_code == 422
    assert 'href="#q-years">Years of practice: Enter a number</a>' in html
    assert 'href="#q-started">Started on: Enter a date between 1900-01-01 and 2100-12-31</a>' in html
    assert 'aria-describedby="q-years-hint q-years-error"' in html and 'id="q-years-error"' in html
    assert 'value="twelve"' in html and 'value="1800-01-01"' in html and ">My story</textarea>" in html
    # What was good was saved.
    assert Response.objects.get(pk=response.pk).answers == {"role": "Nurse", "story": "My story"}


def test_submit_lists_every_missing_answer_then_freezes(response):
    client = Client()
    reply = client.post(url("response", response), page_data(response, migrated="yes", submit="1"))
    html = reply.content.decode()
    assert reply.status_code == 422
    assert 'href="#q-role">Your role: Answer this question.</a>' in html
    assert 'href="#q-destination">Where to?: Choose an option.</a>' in html
    reply = client.post(
        url("response", response),
        page_data(response, role="Nurse", migrated="yes", destination="GB", submit="1"),
    )
    assert reply.status_code == 302 and reply["Location"] == url("done", response)
    done = client.get(url("done", response)).content.decode()
    assert "Thank you" in done and "United Kingdom" in done and "Nurse" in done
    stored = Response.objects.get(pk=response.pk)
    assert stored.status == ResponseStatus.SUBMITTED


def test_a_submitted_response_refuses_every_change(response):
    client = Client()
    client.post(url("response", response), page_data(response, role="Nurse", migrated="no", submit="1"))
    assert client.get(url("response", response))["Location"] == url("done", response)
    reply = client.post(url("response", response), page_data(response, role="Changed"))
    assert reply.status_code == 302 and reply["Location"] == url("done", response)
    autosaved = client.post(url("autosave", response), page_data(response, role="Changed"))
    assert autosaved.status_code == 403
    assert Response.objects.get(pk=response.pk).answers["role"] == "Nurse"


def test_the_thank_you_page_waits_for_submission(response):
    assert Client().get(url("done", response))["Location"] == url("response", response)


def test_add_another_and_remove_work_without_javascript(response):
    client = Client()
    reply = client.post(url("response", response), page_data(response, add_block="agreements"))
    assert reply["Location"] == url("response", response) + "#q-agreements"
    html = client.get(url("response", response)).content.decode()
    assert 'name="agreements.0.partner"' in html and 'name="remove_block" value="agreements.0"' in html
    response.refresh_from_db()
    client.post(url("response", response), page_data(response, remove_block="agreements.0"))
    assert "agreements" not in Response.objects.get(pk=response.pk).answers


def test_the_second_editor_sees_the_conflict_beside_the_kept_answer(response):
    response_save(response=response, data=page_data(response, role="Nurse"), files={}, base_revision=0)
    response.refresh_from_db()
    alice, bob = page_data(response, role="Head nurse"), page_data(response, role="Midwife")
    Client().post(url("response", response), alice)
    reply = Client().post(url("response", response), bob)
    html = reply.content.decode()
    assert reply.status_code == 409
    assert "Someone else saved “Head nurse”, which was kept. Your answer was “Midwife”." in html
    assert 'name="role" value="Head nurse"' in html


# -- Autosave ------------------------------------------------------------------------------------------


def test_autosave_answers_with_the_revision_and_the_time(response):
    reply = Client().post(url("autosave", response), page_data(response, role="Nurse", years="x"))
    body = reply.json()
    assert reply.status_code == 200
    assert body["revision"] == 1 and re.match(r"\d\d:\d\d", body["saved_at"])
    assert body["errors"] == {"years": ["Enter a number"]} and body["conflicts"] == []
    assert body["applied"]["role"][1] == 1


def test_autosave_reports_conflicts_with_409(response):
    base = page_data(response)
    Client().post(url("autosave", response), {**base, "role": "Head nurse"})
    reply = Client().post(url("autosave", response), {**base, "role": "Midwife"})
    assert reply.status_code == 409
    assert reply.json()["conflicts"] == [
        {"path": "role", "label": "Your role", "theirs": "Head nurse", "yours": "Midwife"}
    ]


def test_autosave_is_post_only(response):
    assert Client().get(url("autosave", response)).status_code == 405


# -- CSRF, escaping ---------------------------------------------------------------------------------------


def test_posts_need_the_csrf_token(public, response):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("questionnaires:start", args=[public.slug])).status_code == 403
    assert client.post(url("response", response), page_data(response, role="X")).status_code == 403
    assert client.post(url("autosave", response), page_data(response, role="X")).status_code == 403
    assert Response.objects.get(pk=response.pk).answers == {}
    html = client.get(url("response", response)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    reply = client.post(url("response", response), page_data(response, role="X", csrfmiddlewaretoken=token))
    assert reply.status_code == 302


def test_labels_hints_and_answers_are_escaped(db):
    data = json.loads(json.dumps(FORM))
    data["title"] = {"en": "<script>alert('title')</script>"}
    data["sections"][0]["label"] = {"en": "<img src=x onerror=alert(1)>"}
    role = data["sections"][0]["questions"][1]
    role["label"] = {"en": "<b>Role</b>"}
    role["hint"] = {"en": "<script>alert('hint')</script>"}
    questionnaire = form_create(slug="xss", definition=Definition.from_json(data))
    response = response_start(questionnaire=questionnaire)
    client = Client()
    reply = client.post(
        url("response", response),
        page_data(response, role='"><script>alert(1)</script>', years="<svg/onload=1>"),
    )
    html = reply.content.decode()
    for raw in ("<script>alert", "<img src=x", "<b>Role</b>", "<svg/onload"):
        assert raw not in html
    assert "&lt;b&gt;Role&lt;/b&gt;" in html and "&quot;&gt;&lt;script&gt;" in html
    client.post(
        url("response", response), page_data(Response.objects.get(pk=response.pk), migrated="no", submit="1")
    )
    done = client.get(url("done", response)).content.decode()
    assert "<script>alert" not in done and "&lt;script&gt;alert(1)" in done


@pytest.mark.permission("questionnaires:done", "object")
@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("member", 200), ("other_member", 403), ("secretary", 200)]
)
def test_who_may_read_a_submitted_identified_response(
    identified, member, other_member, secretary, who, expected
):
    from hw4all.questionnaires.services.responses import response_submit

    response = response_start(questionnaire=identified, user=member, organisation=member.person.organisation)
    response_submit(response=response, data=page_data(response, role="Nurse", migrated="no"))
    users = {"anonymous": None, "member": member, "other_member": other_member, "secretary": secretary}
    reply = signed_in(users[who]).get(url("done", response))
    assert reply.status_code == expected
    if expected == 200:
        assert "Nurse" in reply.content.decode()


@pytest.mark.permission("questionnaires:list", "public")
@pytest.mark.permission("questionnaires:start", "public")
@pytest.mark.parametrize("who", ["anonymous", "member", "other_member", "secretary"])
def test_every_role_sees_the_list_and_the_landing_pages(
    public, identified, member, other_member, secretary, who
):
    users = {"anonymous": None, "member": member, "other_member": other_member, "secretary": secretary}
    client = signed_in(users[who])
    assert client.get(reverse("questionnaires:list")).status_code == 200
    assert client.get(reverse("questionnaires:start", args=[public.slug])).status_code == 200
    page = client.get(reverse("questionnaires:start", args=[identified.slug])).content.decode()
    if who == "anonymous":
        assert "Sign in to answer for your organisation" in page
    elif who == "secretary":
        assert "not linked to one" in page or "Start the response" in page
    else:
        assert "Start the response of" in page
