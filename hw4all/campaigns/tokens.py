"""Signed links in the emails: confirm and withdraw, without a token column in the table."""

import hashlib

from django.core import signing
from django.urls import reverse

from .models import Signature

SALT = "hw4all.campaigns.signature"


def _address_check(signature: Signature) -> str:
    # A digest of the whole address, so a link only works for the signer it was sent to, even if
    # the row behind its id changed; the address's tail alone would be just its domain.
    return hashlib.sha256(signature.email_normalised.encode()).hexdigest()[:12]


def signature_token(signature: Signature) -> str:
    return signing.dumps({"id": signature.pk, "e": _address_check(signature)}, salt=SALT, compress=True)


def signature_from_token(token: str) -> Signature | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    signature = Signature.objects.select_related("campaign").filter(pk=data.get("id")).first()
    if signature is None or _address_check(signature) != data.get("e"):
        return None
    return signature


def signature_confirm_url(signature: Signature) -> str:
    return reverse("campaigns:signature_confirm", kwargs={"token": signature_token(signature)})


def signature_withdraw_url(signature: Signature) -> str:
    return reverse("campaigns:signature_withdraw", kwargs={"token": signature_token(signature)})
