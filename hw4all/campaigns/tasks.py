from django.conf import settings
from django.utils import translation
from django_tasks import task

from hw4all.core.email import email_enqueue

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
