import functools
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hw4all.core.ratelimit import client_network, network_hash, rate_limit_exceeded, rate_limited

from . import services
from .forms import EndorsementForm, SignatureForm, signing_data_clean
from .models import CampaignPage, SignerKind
from .queries import campaign_for_signing
from .tokens import signature_from_token

# A crowd behind one office or campus NAT shares an address: the per-network limit is generous;
# the per-address limit is what stops one person repeating.
NETWORK_LIMIT = (600, 3600)
EMAIL_LIMIT = (5, 3600)


def _campaign(campaign_id: int) -> CampaignPage:
    campaign = campaign_for_signing(campaign_id=campaign_id)
    if campaign is None:
        raise Http404
    return campaign


def _form_class(request: HttpRequest, campaign: CampaignPage) -> type[SignatureForm]:
    wants_organisation = request.POST.get("signer_kind", request.GET.get("as")) == SignerKind.ORGANISATION
    if campaign.kind == "declaration" and (wants_organisation or not campaign.allow_individuals):
        return EndorsementForm
    return SignatureForm


# Signing is open to anonymous visitors and to partner sites' plain HTML forms, which cannot
# carry our CSRF token; a session-riding attack gains nothing here (no account is involved),
# and the double opt-in email, the honeypot and the rate limits protect the list.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def signature_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    embedded = _embedded(request)
    form_class = _form_class(request, campaign)
    if request.method == "GET":
        form = form_class(campaign=campaign, initial={"source": request.GET.get("source", "")})
        return _render_form(request, campaign, form, embedded)
    # What the fast path (campaigns.middleware) already decided is not decided twice: the rate
    # limits would count the post again, and a failed write would be tried again.
    outcome = getattr(request, "signing_outcome", None) or signing_decide(
        request, campaign, language=get_language() or settings.LANGUAGE_CODE
    )
    if isinstance(outcome, Exception):
        raise outcome
    if isinstance(outcome, str):
        return HttpResponseRedirect(outcome)
    if outcome.error is None:
        return _render_form(
            request, campaign, form_class(request.POST, campaign=campaign), embedded, status=outcome.status
        )
    return _render_refused(request, campaign, form_class, outcome.error, embedded, status=outcome.status)


class SigningRefusal(NamedTuple):
    status: int
    # None: the form's own errors, shown at their fields.
    error: ValidationError | str | None


def signing_decide(request: HttpRequest, campaign: CampaignPage, *, language: str) -> str | SigningRefusal:
    """What a signing post comes to: the URL the signer is sent on to, once the signature and
    its confirmation email are committed, or why it is refused. Shared by the view and the fast
    path, which answers the first outcome without the rest of the middleware stack."""
    embedded = _embedded(request)
    form_class = _form_class(request, campaign)
    # The form is built only to show errors: validating the post does not need it (see
    # forms.signing_data_clean, which finds exactly what the form would).
    cleaned, errors = signing_data_clean(form_class, request.POST, campaign=campaign)
    if errors:
        return SigningRefusal(400, None)
    if request.POST.get("website"):  # the honeypot: a robot is answered as a person would be
        return _thanks_url_in_language(campaign.pk, embedded, language)
    address = client_network(request)
    if rate_limit_exceeded(
        scope="sign-network", key=address, limit=NETWORK_LIMIT[0], window_seconds=NETWORK_LIMIT[1]
    ) or rate_limit_exceeded(
        scope="sign-email",
        key=cleaned["email"].strip().lower(),
        limit=EMAIL_LIMIT[0],
        window_seconds=EMAIL_LIMIT[1],
    ):
        return SigningRefusal(
            429, _("Too many signatures from here in a short time. Please try again in an hour.")
        )
    data = services.SignatureInput(
        signer_kind=getattr(form_class, "signer_kind", SignerKind.INDIVIDUAL),
        name=cleaned["name"],
        email=cleaned["email"],
        country=cleaned["country"],
        organisation_name=cleaned.get("organisation_name", ""),
        organisation_type=cleaned.get("organisation_type", ""),
        city=cleaned.get("city", ""),
        consent_contact=cleaned["consent_contact"],
        public=cleaned["public"],
        source=cleaned.get("source", ""),
        language=language,
        ip_hash=network_hash(address),
    )
    try:
        services.signature_submit(campaign=campaign, data=data)
    except ValidationError as error:
        return SigningRefusal(400, error)
    return _thanks_url_in_language(campaign.pk, embedded, language)


def _embedded(request: HttpRequest) -> bool:
    """Whether the form is shown in a partner's page (the embed code), where it keeps that look."""
    return request.GET.get("embed") == "1" or request.POST.get("embed") == "1"


def _render_refused(request, campaign, form_class, error, embedded, status) -> HttpResponse:
    """The form as it was sent, with why it was refused above it."""
    form = form_class(request.POST, campaign=campaign)
    form.is_valid()
    form.add_error(None, error)
    return _render_form(request, campaign, form, embedded, status=status)


@functools.lru_cache(maxsize=1024)
def _thanks_url_in_language(campaign_id: int, embedded: bool, language: str) -> str:
    # Reversing a URL is a noticeable share of a signing request; the answer never changes.
    # (So is `redirect()`, which first tries the URL as a view name: the views answer with
    # HttpResponseRedirect.)
    with translation.override(language):
        url = reverse("campaigns:signature_thanks", kwargs={"campaign_id": campaign_id})
    return f"{url}?embed=1" if embedded else url


def _render_form(request, campaign, form, embedded, status=200) -> HttpResponse:
    template = "campaigns/embed_form.html" if embedded else "campaigns/sign.html"
    return render(
        request, template, {"campaign": campaign, "form": form, "embedded": embedded}, status=status
    )


@xframe_options_exempt
def signature_thanks(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    template = "campaigns/embed_thanks.html" if request.GET.get("embed") == "1" else "campaigns/thanks.html"
    return render(request, template, {"campaign": campaign, "pending_days": settings.CAMPAIGNS_PENDING_DAYS})


@require_http_methods(["GET", "POST"])
@rate_limited("signature-link")
def signature_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST confirms, because mail scanners open links."""
    signature = signature_from_token(token)
    if signature is None:
        return render(request, "campaigns/link_invalid.html", status=400)
    context = {
        "signature": signature,
        "campaign": signature.campaign,
        "expired": services.signature_is_expired(signature),
    }
    if request.method == "POST":
        try:
            services.signature_confirm(signature=signature)
        except ValidationError:
            return render(request, "campaigns/confirm.html", {**context, "expired": True}, status=410)
        return render(request, "campaigns/confirmed.html", context)
    return render(request, "campaigns/confirm.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("signature-link")
def signature_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    signature = signature_from_token(token)
    if signature is None:
        return render(request, "campaigns/link_invalid.html", status=400)
    if request.method == "POST":
        services.signature_withdraw(signature=signature)
        return render(request, "campaigns/withdrawn.html", {"campaign": signature.campaign})
    return render(
        request, "campaigns/withdraw.html", {"signature": signature, "campaign": signature.campaign}
    )


def campaign_detail_redirect(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return redirect(get_object_or_404(CampaignPage.objects.live(), pk=campaign_id).url)
