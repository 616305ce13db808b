"""The Secretariat's campaign views in the Wagtail admin: moderating signatures (hide, verify),
reviewing suspicious patterns, daily counts, and the embed snippets for partner websites."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from hw4all.core.audit import audit_record
from hw4all.core.pagination import paginate

from . import services
from .forms import EndorsementForm, SignatureForm
from .models import CampaignKind, CampaignPage, Signature, SignerKind, SuspicionFlag
from .permissions import MODERATE
from .queries import signatures_daily

SIGNATURES_LIST = "campaigns_signatures:index"
FLAGS_LIST = "campaigns_flags:index"

# action: (service, value, button label, message)
SIGNATURE_ACTIONS = {
    "hide": (
        services.signature_set_hidden,
        True,
        gettext_lazy("Hide"),
        gettext_lazy("The signature is hidden."),
    ),
    "unhide": (
        services.signature_set_hidden,
        False,
        gettext_lazy("Show again"),
        gettext_lazy("The signature is shown again."),
    ),
    "verify": (
        services.signature_set_verified,
        True,
        gettext_lazy("Verify"),
        gettext_lazy("The endorsement is verified."),
    ),
    "unverify": (
        services.signature_set_verified,
        False,
        gettext_lazy("Withdraw verification"),
        gettext_lazy("The endorsement is no longer verified."),
    ),
}


def _forbidden(request: HttpRequest) -> HttpResponse:
    # A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard.
    reason = _("Only the Secretariat may see and moderate campaign signatures.")
    return TemplateResponse(request, "admin/forbidden.html", {"reason": reason}, status=403)


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


@require_http_methods(["GET", "POST"])
def signature_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET asks for confirmation; the POST (with its CSRF token) changes the signature."""
    if not request.user.has_perm(MODERATE):
        return _forbidden(request)
    signature = get_object_or_404(Signature.objects.select_related("campaign"), pk=pk)
    if action not in SIGNATURE_ACTIONS:
        return HttpResponse(status=404)
    service, value, label, done = SIGNATURE_ACTIONS[action]
    if request.method == "POST":
        if service is services.signature_set_hidden:
            services.signature_set_hidden(signature=signature, hidden=value)
        else:
            services.signature_set_verified(signature=signature, verified=value)
        audit_record(f"campaigns.signature_{action}", obj=signature, summary=signature.campaign.title)
        messages.success(request, str(done))
        return redirect(_back(request, SIGNATURES_LIST))
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            "title": label,
            "subject": signature,
            "details": [
                (_("Campaign"), signature.campaign.title),
                (_("Name"), signature.name),
                (_("Organisation"), signature.organisation_name),
                (_("Country"), signature.country.name),
                (_("Email"), signature.email),
                (_("Status"), signature.get_status_display()),
            ],
            "button": label,
            "next": _back(request, SIGNATURES_LIST),
        },
    )


@require_http_methods(["GET", "POST"])
def flag_review(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(MODERATE):
        return _forbidden(request)
    flag = get_object_or_404(SuspicionFlag.objects.select_related("campaign"), pk=pk)
    label = _("Mark as not reviewed") if flag.reviewed else _("Mark as reviewed")
    if request.method == "POST":
        services.suspicion_flag_set_reviewed(flag=flag, reviewed=not flag.reviewed)
        messages.success(
            request,
            _("The pattern is marked as reviewed.")
            if flag.reviewed
            else _("The pattern is marked as not reviewed."),
        )
        return redirect(_back(request, FLAGS_LIST))
    signatures_url = reverse(SIGNATURES_LIST) + "?" + urlencode({"campaign": flag.campaign_id})
    return TemplateResponse(
        request,
        "admin/confirm_action.html",
        {
            "title": label,
            "subject": flag,
            "details": [
                (_("Campaign"), flag.campaign.title),
                (_("Reason"), flag.get_reason_display()),
                (_("Network or domain"), flag.value),
                (_("Signatures"), flag.count),
                (_("From"), flag.window_start),
                (_("To"), flag.window_end),
            ],
            "button": label,
            "next": _back(request, FLAGS_LIST),
            "extra_link": (signatures_url, _("See the campaign's signatures")),
        },
    )


def campaign_daily(request: HttpRequest, campaign_id: int) -> HttpResponse:
    if not request.user.has_perm(MODERATE):
        return _forbidden(request)
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    days = paginate(signatures_daily(campaign=campaign), request.GET.get("page"), 60)
    return TemplateResponse(request, "campaigns/admin/daily.html", {"campaign": campaign, "days": days})


class EmbedForm(forms.Form):
    source = forms.SlugField(
        label=gettext_lazy("Source code"),
        max_length=50,
        help_text=gettext_lazy(
            "A short code for the partner website, e.g. wemos-nl (letters, numbers, hyphens). "
            "Signatures made through the snippet record it, so you see which partner brought them."
        ),
    )
    signer = forms.ChoiceField(
        label=gettext_lazy("Form for"),
        choices=[
            (SignerKind.INDIVIDUAL, gettext_lazy("Individuals")),
            (SignerKind.ORGANISATION, gettext_lazy("Organisations")),
        ],
        initial=SignerKind.INDIVIDUAL,
        required=False,
    )


def embed_snippets(*, campaign: CampaignPage, source: str, organisation: bool = False) -> tuple[str, str]:
    """The <iframe> snippet and the plain HTML <form> snippet for one partner's source code, in
    the campaign's language, with absolute addresses on the public site."""
    root = campaign.get_site().root_url
    language = campaign.locale.language_code
    with translation.override(language):
        sign_path = reverse("campaigns:signature_create", kwargs={"campaign_id": campaign.pk})
        query = {"embed": "1", "source": source}
        if organisation:
            query["as"] = SignerKind.ORGANISATION
        iframe = render_to_string(
            "campaigns/admin/snippet_iframe.html",
            {"src": f"{root}{sign_path}?{urlencode(query)}", "campaign": campaign},
        ).strip()
        form_class = EndorsementForm if organisation else SignatureForm
        plain = render_to_string(
            "campaigns/admin/snippet_form.html",
            {
                "action": f"{root}{sign_path}",
                "form": form_class(campaign=campaign, initial={"source": source}, auto_id="hw4all_sign_%s"),
                "source": source,
                "organisation": organisation,
                "campaign": campaign,
                "language": language,
            },
        ).strip()
    return iframe, plain


def campaign_embed(request: HttpRequest, campaign_id: int) -> HttpResponse:
    if not request.user.has_perm(MODERATE):
        return _forbidden(request)
    campaign = get_object_or_404(CampaignPage, pk=campaign_id)
    # A GET form: choosing a source code changes nothing on the server.
    form = EmbedForm(request.GET if "source" in request.GET else None)
    context = {"campaign": campaign, "form": form}
    if form.is_valid():
        organisation = campaign.kind == CampaignKind.DECLARATION and (
            form.cleaned_data["signer"] == SignerKind.ORGANISATION or not campaign.allow_individuals
        )
        context["iframe"], context["plain"] = embed_snippets(
            campaign=campaign, source=form.cleaned_data["source"], organisation=organisation
        )
    return TemplateResponse(request, "campaigns/admin/embed.html", context)
