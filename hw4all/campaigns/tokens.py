"""Signed links in the emails: confirm and withdraw, without a token column in the table."""

from django.core import signing
from django.urls import reverse

from .models import Signature

SALT = "hw4all.campaigns.signature"


def signature_token(signature: Signature) -> str:
    return signing.dumps(
        {"id": signature.pk, "e": signature.email_normalised[-12:]}, salt=SALT, compress=True
    )


def signature_from_token(token: str) -> Signature | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    signature = Signature.objects.select_related("campaign").filter(pk=data.get("id")).first()
    if signature is None or signature.email_normalised[-12:] != data.get("e"):
        return None
    return signature


def signature_confirm_url(signature: Signature) -> str:
    return reverse("campaigns:signature_confirm", kwargs={"token": signature_token(signature)})


def signature_withdraw_url(signature: Signature) -> str:
    return reverse("campaigns:signature_withdraw", kwargs={"token": signature_token(signature)})
