"""Housekeeping: unconfirmed signatures expire, personal data goes after the retention period
while counts by country and day stay, and bursts are flagged without dropping anything."""

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hw4all.campaigns import maintenance, services
from hw4all.campaigns.models import ArchivedCount, CampaignPage, Signature, SuspicionFlag
from hw4all.campaigns.queries import campaign_counts_compute
from hw4all.campaigns.services import SignatureInput
from hw4all.campaigns.tasks import campaigns_maintain_schedule, campaigns_maintain_task

NOW = timezone.now()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


@pytest.fixture
def petition(index):
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


def add(campaign, email, country="KE", confirm=True, **fields):
    services.signature_submit(
        campaign=campaign, data=SignatureInput(name="Private Name", email=email, country=country, **fields)
    )
    signature = Signature.objects.get(campaign=campaign, email_normalised=email)
    return services.signature_confirm(signature=signature) if confirm else signature


def close(campaign, days_ago, retention_days=180):
    CampaignPage.objects.filter(pk=campaign.pk).update(
        closes_at=NOW - datetime.timedelta(days=days_ago), retention_days=retention_days
    )


def test_unconfirmed_signatures_expire_after_the_pending_days(petition, settings):
    settings.CAMPAIGNS_PENDING_DAYS = 7
    old = add(petition, "old@example.org", confirm=False)
    recent = add(petition, "recent@example.org", confirm=False)
    kept = add(petition, "kept@example.org")
    Signature.objects.filter(pk__in=[old.pk, kept.pk]).update(created_at=NOW - datetime.timedelta(days=8))
    Signature.objects.filter(pk=recent.pk).update(created_at=NOW - datetime.timedelta(days=6))

    assert maintenance.signatures_expire(now=NOW) == 1
    assert set(Signature.objects.values_list("email", flat=True)) == {
        "recent@example.org",
        "kept@example.org",
    }


def test_after_retention_personal_data_goes_and_counts_by_country_and_day_stay(petition, index):
    rows = [
        ("a@example.org", "KE", 3),
        ("b@example.org", "KE", 3),
        ("c@example.org", "KE", 2),
        ("d@example.org", "FR", 2),
    ]
    for email, country, days_ago in rows:
        signature = add(petition, email, country, public=True, city="Nairobi", consent_contact=True)
        Signature.objects.filter(pk=signature.pk).update(
            confirmed_at=NOW - datetime.timedelta(days=200 + days_ago)
        )
    add(petition, "pending@example.org", confirm=False)
    services.signature_withdraw(signature=add(petition, "gone@example.org", "BR"))
    services.signature_set_hidden(signature=add(petition, "hidden@example.org", "BR"), hidden=True)
    still_kept = services.campaign_create(index=index, title="Recent", summary="Closed lately.")
    add(still_kept, "recent@example.org")
    close(petition, days_ago=181)
    close(still_kept, days_ago=10)
    before = campaign_counts_compute(campaign_id=petition.pk)

    report = maintenance.campaigns_maintain(now=NOW)

    assert (report.archived_campaigns, report.deleted) == (1, 7)
    after = campaign_counts_compute(campaign_id=petition.pk)
    assert (after.total, after.by_country) == (before.total, before.by_country) == (4, [("KE", 3), ("FR", 1)])
    assert not Signature.objects.filter(campaign=petition).exists()
    assert set(ArchivedCount.objects.values_list("country", "day", "count")) == {
        ("KE", timezone.localdate(NOW - datetime.timedelta(days=203)), 2),
        ("KE", timezone.localdate(NOW - datetime.timedelta(days=202)), 1),
        ("FR", timezone.localdate(NOW - datetime.timedelta(days=202)), 1),
    }
    assert Signature.objects.filter(campaign=still_kept).count() == 1

    again = maintenance.campaigns_maintain(now=NOW)
    assert again.archived_campaigns == 0
    assert campaign_counts_compute(campaign_id=petition.pk).total == 4


def test_an_open_campaign_or_one_within_retention_keeps_its_signatures(petition):
    add(petition, "a@example.org")
    assert maintenance.campaigns_due_for_archive(now=NOW) == []
    close(petition, days_ago=5, retention_days=7)
    assert maintenance.campaigns_due_for_archive(now=NOW) == []
    assert maintenance.campaigns_due_for_archive(now=NOW + datetime.timedelta(days=2)) == [petition]


def burst(campaign, count, *, ip_hash="", domain="example.org", at=NOW):
    Signature.objects.bulk_create(
        Signature(
            campaign=campaign,
            name="Burst",
            email=f"b{number}.{ip_hash}@{domain}",
            email_normalised=f"b{number}.{ip_hash}@{domain}",
            email_domain=domain,
            ip_hash=ip_hash,
            country="KE",
            created_at=at,
        )
        for number in range(count)
    )


def test_a_burst_from_one_network_is_flagged_once_and_nothing_is_dropped(petition, settings):
    settings.CAMPAIGNS_SUSPICION_NETWORK_THRESHOLD = 20
    at = NOW - datetime.timedelta(minutes=3)
    burst(petition, 25, ip_hash="a" * 32, at=at)
    burst(petition, 10, ip_hash="b" * 32, at=at)

    assert maintenance.suspicion_scan(now=NOW) == 1
    assert maintenance.suspicion_scan(now=NOW) == 1
    flag = SuspicionFlag.objects.get()
    assert (flag.reason, flag.value, flag.count) == (SuspicionFlag.Reason.NETWORK, "a" * 32, 25)
    assert flag.window_start <= at < flag.window_end
    assert flag.window_end - flag.window_start == datetime.timedelta(minutes=10)
    assert Signature.objects.count() == 35


def test_a_burst_from_one_domain_is_flagged_but_webmail_is_not(petition, settings):
    settings.CAMPAIGNS_SUSPICION_DOMAIN_THRESHOLD = 20
    burst(petition, 20, domain="spam.example", at=NOW - datetime.timedelta(minutes=1))
    burst(petition, 40, domain="gmail.com", at=NOW - datetime.timedelta(minutes=1))
    maintenance.suspicion_scan(now=NOW)
    assert list(SuspicionFlag.objects.values_list("reason", "value", "count")) == [
        (SuspicionFlag.Reason.DOMAIN, "spam.example", 20)
    ]


def test_the_default_thresholds_leave_an_office_crowd_alone(petition):
    burst(petition, maintenance.SUSPICION_NETWORK_THRESHOLD - 1, ip_hash="c" * 32, domain="hospital.example")
    assert maintenance.suspicion_scan(now=NOW + datetime.timedelta(seconds=1)) == 0


def test_the_command_reports_what_it_did(petition, settings):
    settings.CAMPAIGNS_PENDING_DAYS = 7
    add(petition, "old@example.org", confirm=False)
    Signature.objects.update(created_at=NOW - datetime.timedelta(days=9))
    out = StringIO()
    call_command("campaigns_maintain", stdout=out)
    assert "Expired pending signatures deleted: 1" in out.getvalue()
    assert not Signature.objects.exists()


def test_the_command_does_not_schedule_without_a_deferring_backend(petition):
    out = StringIO()
    call_command("campaigns_maintain", "--schedule", stdout=out)
    assert "Not queued" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_queues_its_next_run_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert campaigns_maintain_schedule() is True
    assert campaigns_maintain_schedule() is False  # one run waiting is enough
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == campaigns_maintain_task.module_path
    assert waiting.run_after > timezone.now() + datetime.timedelta(minutes=9)

    waiting.delete()
    campaigns_maintain_task.call()  # a run queues the next one
    assert DBTaskResult.objects.get().status == "READY"
