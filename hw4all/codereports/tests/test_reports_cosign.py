"""Co-signing: other member organisations stand behind a published report, once each; the owner
cannot co-sign its own; a co-signature can be withdrawn; co-signers show on the report's page and
are read by the public pages and exports through queries.cosigners_of / published_reports."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import CoSignature, ReportEvent, ReportEventKind
from hw4all.codereports.queries import cosigners_of, published_reports
from hw4all.codereports.services import reports as services
from hw4all.users.roles import MEMBER

from .conftest import reached

pytestmark = pytest.mark.django_db


def test_another_member_organisation_co_signs_a_published_report(published, other_member, other_organisation):
    services.report_cosign(report=published, user=other_member)
    assert cosigners_of(published) == [other_organisation]
    event = ReportEvent.objects.filter(report=published).last()
    assert event.kind == ReportEventKind.COSIGNED and event.organisation == other_organisation
    client = Client()
    page = client.get(reverse("codereports:report", args=[published.pk])).content.decode()
    assert "Doctors of Ghana" in page


def test_an_organisation_co_signs_once(published, other_member, other_organisation):
    services.report_cosign(report=published, user=other_member)
    second = user_in(MEMBER, organisation=other_organisation)
    with pytest.raises(services.ReportError, match="already co-signed"):
        services.report_cosign(report=published, user=second)
    assert CoSignature.objects.filter(report=published).count() == 1


def test_the_owner_cannot_co_sign_its_own_report(published, colleague):
    with pytest.raises(services.ReportError, match="its own report"):
        services.report_cosign(report=published, user=colleague)


def test_only_a_published_report_is_co_signed(submitted, other_member):
    with pytest.raises(services.ReportError, match="Only a published report"):
        services.report_cosign(report=submitted, user=other_member)


def test_a_co_signature_is_withdrawn_and_kept_through_unpublishing(published, other_member, member):
    services.report_cosign(report=published, user=other_member)
    services.report_unpublish(report=published, user=member)
    services.report_publish(report=published, user=member)
    assert len(cosigners_of(published)) == 1
    services.report_cosign_withdraw(report=published, user=other_member)
    assert cosigners_of(published) == []
    with pytest.raises(services.ReportError, match="has not co-signed"):
        services.report_cosign_withdraw(report=published, user=other_member)
    assert ReportEvent.objects.filter(report=published, kind=ReportEventKind.COSIGN_WITHDRAWN).count() == 1


def test_the_page_offers_to_co_sign_then_to_withdraw(published, other_member):
    client = Client()
    client.force_login(other_member)
    url = reverse("codereports:report", args=[published.pk])
    assert "Co-sign for Doctors of Ghana" in client.get(url).content.decode()
    page = client.post(
        reverse("codereports:report_cosign", args=[published.pk]), {"action": "sign"}, follow=True
    )
    text = page.content.decode()
    assert "Doctors of Ghana co-signs this report." in text
    assert "Withdraw the co-signature of Doctors of Ghana" in text
    page = client.post(
        reverse("codereports:report_cosign", args=[published.pk]), {"action": "withdraw"}, follow=True
    )
    assert "co-signature is withdrawn" in page.content.decode()
    assert not CoSignature.objects.filter(report=published).exists()


def test_a_hostile_action_is_refused(published, other_member):
    client = Client()
    client.force_login(other_member)
    response = client.post(reverse("codereports:report_cosign", args=[published.pk]), {"action": "publish"})
    assert response.status_code == 400
    assert not CoSignature.objects.filter(report=published).exists()


def test_published_reports_cost_the_same_queries_however_many_co_signers(
    published, round, django_capture_on_commit_callbacks
):
    def queries_to_read() -> int:
        with CaptureQueriesContext(connection) as captured:
            names = [
                (report.organisation.name, [organisation.name for organisation in cosigners_of(report)])
                for report in published_reports(round)
            ]
        assert names
        return len(captured)

    services.report_cosign(report=published, user=user_in(MEMBER, organisation=OrganisationFactory()))
    few = queries_to_read()
    for _ in range(4):
        services.report_cosign(report=published, user=user_in(MEMBER, organisation=OrganisationFactory()))
    writer = user_in(MEMBER, organisation=OrganisationFactory())
    with django_capture_on_commit_callbacks(execute=True):
        reached(services.report_create(round=round, country="GH", user=writer), "published", writer)
    assert queries_to_read() == few
