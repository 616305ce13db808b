import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from hw4all.coalition.factories import MembershipApplicationFactory, OrganisationFactory
from hw4all.coalition.models import MembershipApplication, Organisation
from hw4all.coalition.services import membership_application_accept, membership_application_decline


def accept_url(application):
    return f"/admin/snippets/coalition/membershipapplication/accept/{application.pk}/"


def decline_url(application):
    return f"/admin/snippets/coalition/membershipapplication/decline/{application.pk}/"


@pytest.mark.django_db
def test_accepting_creates_a_member_organisation_and_tells_the_applicant(secretariat_user):
    application = MembershipApplicationFactory(
        organisation_name="Nurses Without Borders",
        country="KE",
        language="pt",
        contact_email="a@nurses.example.org",
    )
    organisation = membership_application_accept(
        application=application, decided_by=secretariat_user, note="Welcome!"
    )
    assert organisation.is_member
    assert organisation.member_since == timezone.localdate()
    assert organisation.country == "KE"
    application.refresh_from_db()
    assert application.status == "accepted"
    assert application.decided_by == secretariat_user
    assert application.organisation == organisation
    [message] = mail.outbox
    assert message.to == ["a@nurses.example.org"]
    assert "Welcome!" in message.body
    # The applicant's language: the link to the directory entry is the Portuguese one.
    assert f"/pt/members/{organisation.slug}/" in message.body


@pytest.mark.django_db
def test_accepting_links_an_organisation_already_in_the_directory(secretariat_user):
    partner = OrganisationFactory(name="Wemos", is_member=False, member_since=None)
    application = MembershipApplicationFactory(organisation_name="wemos")
    organisation = membership_application_accept(application=application, decided_by=secretariat_user)
    assert organisation == partner
    assert Organisation.objects.count() == 1
    partner.refresh_from_db()
    assert partner.is_member
    assert partner.member_since == timezone.localdate()


@pytest.mark.django_db
def test_accepting_keeps_an_earlier_member_since(secretariat_user):
    member = OrganisationFactory(member_since=datetime.date(2013, 5, 1))
    application = MembershipApplicationFactory(organisation=member)
    membership_application_accept(application=application, decided_by=secretariat_user)
    member.refresh_from_db()
    assert member.member_since == datetime.date(2013, 5, 1)


@pytest.mark.django_db
def test_declining_sends_the_reason(secretariat_user):
    application = MembershipApplicationFactory(contact_email="b@example.org")
    membership_application_decline(
        application=application,
        decided_by=secretariat_user,
        note="Your work is outside the coalition's scope.",
    )
    application.refresh_from_db()
    assert application.status == "declined"
    assert application.decided_at is not None
    [message] = mail.outbox
    assert "outside the coalition's scope" in message.body


@pytest.mark.django_db
def test_declining_needs_a_reason(secretariat_user):
    application = MembershipApplicationFactory()
    with pytest.raises(ValidationError):
        membership_application_decline(application=application, decided_by=secretariat_user, note="  ")
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.django_db
def test_deciding_twice_is_refused(secretariat_user):
    application = MembershipApplicationFactory()
    membership_application_accept(application=application, decided_by=secretariat_user)
    with pytest.raises(ValidationError, match="already been decided"):
        membership_application_decline(application=application, decided_by=secretariat_user, note="No")
    with pytest.raises(ValidationError, match="already been decided"):
        membership_application_accept(application=application, decided_by=secretariat_user)
    # A stale copy loaded before the first decision is refused too.
    stale = MembershipApplication.objects.get(pk=application.pk)
    stale.status = "pending"
    with pytest.raises(ValidationError, match="already been decided"):
        membership_application_decline(application=stale, decided_by=secretariat_user, note="No")
    assert len(mail.outbox) == 1


# Admin views: role x action.


@pytest.mark.django_db
def test_secretariat_accepts_in_the_admin(client, secretariat_user):
    application = MembershipApplicationFactory(organisation_name="Nurses Without Borders")
    client.force_login(secretariat_user)
    assert client.get(accept_url(application)).status_code == 200
    response = client.post(accept_url(application), {"note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    assert Organisation.objects.get(name="Nurses Without Borders").is_member


@pytest.mark.django_db
def test_secretariat_declines_in_the_admin_with_a_note(client, secretariat_user):
    application = MembershipApplicationFactory()
    client.force_login(secretariat_user)
    response = client.post(decline_url(application), {"note": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    client.post(decline_url(application), {"note": "Not a civil-society organisation."})
    application.refresh_from_db()
    assert application.status == "declined"


@pytest.mark.django_db
def test_superuser_may_decide(client, make_user):
    admin = make_user(is_superuser=True)
    application = MembershipApplicationFactory()
    client.force_login(admin)
    client.post(accept_url(application), {"note": ""})
    application.refresh_from_db()
    assert application.status == "accepted"


@pytest.mark.permission("wagtailsnippets_coalition_membershipapplication:accept", "role")
@pytest.mark.permission("wagtailsnippets_coalition_membershipapplication:decline", "role")
@pytest.mark.parametrize("role_fixture", ["member_user", "reviewer_user", "steering_user"])
@pytest.mark.parametrize("url", [accept_url, decline_url])
@pytest.mark.django_db
def test_other_roles_with_admin_access_get_403(client, request, role_fixture, url):
    from django.contrib.auth.models import Permission

    user = request.getfixturevalue(role_fixture)
    # Give them the admin itself, so that only the decision rule stands in the way.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    application = MembershipApplicationFactory()
    client.force_login(user)
    assert client.get(url(application)).status_code == 403
    assert client.post(url(application), {"note": "Nope"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"
    assert mail.outbox == []


@pytest.mark.permission("wagtailsnippets_coalition_membershipapplication:accept", "role")
@pytest.mark.parametrize("role_fixture", ["member_user", "reviewer_user"])
@pytest.mark.django_db
def test_roles_without_admin_access_are_turned_away(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    application = MembershipApplicationFactory()
    response = client.post(accept_url(application), {"note": ""})
    assert response.status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.permission("wagtailsnippets_coalition_membershipapplication:accept", "authenticated")
@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client):
    application = MembershipApplicationFactory()
    response = client.post(accept_url(application), {"note": ""})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.django_db
def test_decision_needs_csrf(secretariat_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    application = MembershipApplicationFactory()
    assert client.post(accept_url(application), {"note": ""}).status_code == 403
    application.refresh_from_db()
    assert application.status == "pending"


@pytest.mark.django_db
def test_deciding_twice_in_the_admin_shows_a_message(client, secretariat_user):
    application = MembershipApplicationFactory()
    client.force_login(secretariat_user)
    client.post(accept_url(application), {"note": ""})
    response = client.post(decline_url(application), {"note": "Changed my mind"}, follow=True)
    assert "already been decided" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "accepted"


@pytest.mark.django_db
def test_admin_list_shows_pending_first_with_buttons_and_escapes(client, secretariat_user, hostile):
    MembershipApplicationFactory(organisation_name="Older pending")
    decided = MembershipApplicationFactory(organisation_name="Decided one")
    membership_application_decline(application=decided, decided_by=secretariat_user, note="No")
    MembershipApplicationFactory(organisation_name=hostile, contact_name=hostile)
    client.force_login(secretariat_user)
    response = client.get("/admin/snippets/coalition/membershipapplication/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Older pending") < html.index("Decided one")
    assert "/accept/" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.django_db
def test_admin_decision_page_and_edit_view_escape_hostile_input(client, secretariat_user, hostile):
    application = MembershipApplicationFactory(
        organisation_name=hostile, description=hostile, contact_name=hostile, acronym="<b>x</b>"
    )
    client.force_login(secretariat_user)
    for url in (
        accept_url(application),
        decline_url(application),
        f"/admin/snippets/coalition/membershipapplication/edit/{application.pk}/",
        f"/admin/snippets/coalition/membershipapplication/inspect/{application.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
