"""A member who started their organisation's Code report asks to be forgotten: the report is the
organisation's and stays, its answers with it; nothing ties it to the member any more."""

from hw4all.codereports.models import Report
from hw4all.codereports.services import reports as services
from hw4all.core.personaldata import personal_data_erase, personal_data_export
from hw4all.users.models import User


def test_the_report_stays_the_organisations_without_the_member(round, member, colleague):
    report = services.report_create(round=round, country="KE", user=member)

    document = personal_data_export("Amina@Example.org")
    assert [record["type"] for record in document["sections"]["codereports"]["records"]] == [
        "Code report started",
        "Code report history entry",
    ]
    assert document["sections"]["questionnaires"]["records"][0]["for_an_organisation"] is True

    personal_data_erase("amina@example.org")

    report = Report.objects.select_related("response").get(pk=report.pk)
    assert report.created_by_id is None
    assert not report.events.filter(actor__isnull=False).exists()
    assert report.response.user_id is None
    assert report.organisation == colleague.person.organisation
    assert not User.objects.filter(email="amina@example.org").exists()
    assert personal_data_export("jean@example.org")["sections"]["codereports"]["records"] == []
