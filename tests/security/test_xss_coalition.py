"""Membership applications written with the OWASP vectors through the public form, read and
accepted by the Secretariat, then shown in the directory, on the organisation's page and in the
API; people's biographies and projects' descriptions (rich text) the same way."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.coalition import services
from hw4all.coalition.models import MembershipApplication
from hw4all.users.roles import SECRETARIAT
from hw4all.users.services import user_create

from .xss import SHORT, TYPEABLE, assert_json_html_inert, assert_pages_inert, packed

pytestmark = pytest.mark.django_db

RICH = ("description", "bio", "outputs")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def coalition_pages(*, names: list[str], descriptions: list[str], short: str, corpus: str) -> dict[str, str]:
    visitor = Client()
    for number, (name, description) in enumerate(zip(names, descriptions, strict=True)):
        response = visitor.post(
            reverse("coalition:application_create"),
            {
                "organisation_name": name,
                "acronym": "",
                "country": "KE",
                "type": "ngo",
                "website": f"https://example.org/{number}",
                "description": description,
                "contact_name": short[:255],
                "contact_email": f"contact{number}@example.org",
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    secretariat = Client()
    secretariat.force_login(
        user_create(email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True)
    )
    shown = {}
    for number, application in enumerate(MembershipApplication.objects.order_by("pk")):
        accept = f"/admin/snippets/coalition/membershipapplication/accept/{application.pk}/"
        shown[f"acceptance {number}"] = secretariat.get(accept).content.decode()
        shown[f"application {number}"] = secretariat.get(
            f"/admin/snippets/coalition/membershipapplication/inspect/{application.pk}/"
        ).content.decode()
        assert secretariat.post(accept, {"note": short}).status_code == 302
    shown["applications"] = secretariat.get(
        "/admin/snippets/coalition/membershipapplication/"
    ).content.decode()

    organisation = MembershipApplication.objects.order_by("pk").first().organisation
    person = services.person_create(
        name=short[:200], organisation=organisation, job_title=short[:200], bio=corpus
    )
    project = services.project_create(
        title=short[:200], summary=short[:300], description=corpus, outputs=corpus, funder=organisation
    )
    shown["directory"] = visitor.get(reverse("coalition:directory")).content.decode()
    shown["people"] = visitor.get(reverse("coalition:people")).content.decode()
    shown["projects"] = visitor.get(reverse("coalition:project_index")).content.decode()
    shown["person"] = visitor.get(reverse("coalition:person_detail", args=[person.slug])).content.decode()
    shown["project"] = visitor.get(reverse("coalition:project_detail", args=[project.slug])).content.decode()
    for number, application in enumerate(MembershipApplication.objects.order_by("pk")):
        slug = application.organisation.slug
        shown[f"organisation {number}"] = visitor.get(
            reverse("coalition:organisation_detail", args=[slug])
        ).content.decode()
        response = visitor.get(f"/api/v1/directory/organisations/{slug}")
        assert response.status_code == 200
        assert_json_html_inert(response.json(), "organisation API", RICH)
    for url in (
        "/api/v1/directory/organisations",
        "/api/v1/directory/people",
        f"/api/v1/directory/people/{person.slug}",
    ):
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert_json_html_inert(response.json(), url, RICH)
    return shown


def test_applications_people_and_projects_are_shown_inert():
    descriptions = packed(TYPEABLE, 2000)
    assert_pages_inert(
        coalition_pages,
        names=(packed(SHORT, 255, " ") * 4)[: len(descriptions)],
        descriptions=descriptions,
        short=" ".join(SHORT),
        corpus="\n\n".join(TYPEABLE),
    )
