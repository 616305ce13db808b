"""Email goes out through a task so a mail server outage delays a message but never loses it."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def email_send_task(*, to: list[str], subject: str, body: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def email_enqueue(*, to: list[str], template: str, context: dict, language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` in the recipient's language and queue it."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    email_send_task.enqueue(to=to, subject=subject, body=body)
