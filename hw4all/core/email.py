"""Email goes out through a task so a mail server outage delays a message but never loses it:
a failed send is queued again with a growing delay, up to `EMAIL_MAX_ATTEMPTS` tries."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

EMAIL_MAX_ATTEMPTS = 10


def email_retry_delay(attempt: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** (attempt - 1), 360))


@task()
def email_send_task(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    attempt: int = 1,
    headers: dict[str, str] | None = None,
) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError:  # SMTP errors, refused connections and time-outs are all OSErrors
        if attempt >= EMAIL_MAX_ATTEMPTS or not default_task_backend.supports_defer:
            raise
        logger.warning("Sending email failed (attempt %s); queued again", attempt)
        email_send_task.using(run_after=timezone.now() + email_retry_delay(attempt)).enqueue(
            to=to, subject=subject, body=body, html=html, attempt=attempt + 1, **_headers_argument(headers)
        )


def _headers_argument(headers: dict[str, str] | None) -> dict:
    # Messages without headers are queued exactly as before headers existed.
    return {"headers": headers} if headers else {}


def email_enqueue(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` in the recipient's language and queue it,
    with extra `headers` if given (such as List-Unsubscribe)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    email_send_task.enqueue(to=to, subject=subject, body=body, **_headers_argument(headers))
