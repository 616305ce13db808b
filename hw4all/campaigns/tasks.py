import datetime
import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from hw4all.core.email import email_enqueue
from hw4all.core.taskqueue import task_schedule_next

from .maintenance import campaigns_maintain
from .models import Signature, SignatureStatus
from .tokens import signature_confirm_url, signature_withdraw_url


@task()
def signature_confirmation_send(*, signature_id: int) -> None:
    """Rendered and sent by the worker, so the signing request only inserts a task row."""
    signature = Signature.objects.select_related("campaign").filter(pk=signature_id).first()
    if signature is None or signature.status != SignatureStatus.PENDING:
        return
    with translation.override(signature.language):
        context = {
            "signature": signature,
            "campaign": signature.campaign,
            "confirm_url": settings.SITE_URL + signature_confirm_url(signature),
            "withdraw_url": settings.SITE_URL + signature_withdraw_url(signature),
            "pending_days": settings.CAMPAIGNS_PENDING_DAYS,
        }
    email_enqueue(
        to=[signature.email], template="campaigns/email/confirm", context=context, language=signature.language
    )


logger = logging.getLogger(__name__)

# How often the maintenance task runs again; the suspicion scan looks back an hour, so any
# interval up to that misses nothing.
MAINTAIN_EVERY = datetime.timedelta(minutes=10)


@task()
def campaigns_maintain_task() -> None:
    """Run the campaigns' housekeeping, then queue the next run."""
    report = campaigns_maintain()
    logger.info("Campaigns maintenance: %s", report)
    campaigns_maintain_schedule()


def campaigns_maintain_schedule() -> bool:
    """Queue the next run unless one is already waiting."""
    return task_schedule_next(campaigns_maintain_task, MAINTAIN_EVERY)
