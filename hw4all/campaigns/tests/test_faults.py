"""Faults: the confirmation email crosses a real SMTP server, and a mail server outage delays
it without losing it (the send is queued again with back-off and delivered once it is back)."""

import datetime
import re
import socket
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature, SignatureStatus
from hw4all.campaigns.tasks import signature_confirmation_send
from hw4all.core.email import email_send_task


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=email_policy)
        self.messages.append((envelope.rcpt_tos, message["Subject"], message.get_content()))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    cache.clear()
    yield controller, inbox
    if controller._thread is not None:
        controller.stop()


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


def sign(client, campaign, email="amina@example.org"):
    data = {"name": "Amina Diallo", "email": email, "country": "KE"}
    return client.post(f"/en/campaigns/{campaign.pk}/sign/", data)


def confirm_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/en/signatures/confirm/[^\s]+)", body).group(1)


def test_the_confirmation_crosses_a_real_smtp_server(client, smtp, petition):
    controller, inbox = smtp
    controller.start()
    assert sign(client, petition).status_code == 302

    assert len(inbox.messages) == 1
    recipients, subject, body = inbox.messages[0]
    assert recipients == ["amina@example.org"]
    assert "Invest in health workers" in subject
    assert client.post(confirm_path(body)).status_code == 200
    assert Signature.objects.get().status == SignatureStatus.CONFIRMED


def run_queue():
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_server_outage_loses_nothing(client, smtp, settings, petition):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    controller, inbox = smtp  # not started: the mail server is down

    assert sign(client, petition).status_code == 302
    assert Signature.objects.get().status == SignatureStatus.PENDING
    # The confirmation task was committed with the signature (Wagtail may queue its own tasks too).
    assert DBTaskResult.objects.filter(
        status="READY", task_path=signature_confirmation_send.module_path
    ).exists()

    started = timezone.now()
    run_queue()
    assert inbox.messages == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == email_send_task.module_path
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > started + datetime.timedelta(seconds=50)

    run_queue()  # too early: the retry waits for its time
    assert inbox.messages == [] and DBTaskResult.objects.filter(status="READY").count() == 1

    controller.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_queue()
    assert len(inbox.messages) == 1
    assert inbox.messages[0][0] == ["amina@example.org"]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert client.post(confirm_path(inbox.messages[0][2])).status_code == 200
    assert Signature.objects.get().status == SignatureStatus.CONFIRMED
