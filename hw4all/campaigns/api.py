"""Campaigns in the public API: counts for everyone, signatures posted by partners with their
organisation's API token."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from hw4all.coalition.api_auth import OrganisationTokenAuth
from hw4all.coalition.models import ApiScope, ApiToken
from hw4all.core.apierrors import ApiProblem
from hw4all.core.apilanguage import LANG_DESCRIPTION, api_language
from hw4all.core.apipagination import CursorPagination
from hw4all.core.ratelimit import rate_limit_exceeded

from . import services
from .forms import EndorsementForm, SignatureForm
from .models import CampaignKind, CampaignPage, SignerKind
from .queries import CampaignCounts, campaign_counts, campaign_counts_many, campaign_source_ids

router = Router(tags=["campaigns"])

# A partner's server sends many people's signatures from one address, so the form's
# per-network limit applies per token instead; the per-address limit is the form's.
PARTNER_LIMIT = (600, 3600)
EMAIL_LIMIT = (5, 3600)
MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error


class CampaignOut(Schema):
    id: int
    title: str
    kind: CampaignKind
    total: int = Field(description="Confirmed signatures and verified endorsements, at most a minute old")
    goal: int
    open: bool = Field(description="Whether it takes signatures now")
    opens_at: datetime.datetime
    closes_at: datetime.datetime | None
    language: str
    url: str = Field(description="Absolute address of the campaign page")


class CountryCount(Schema):
    country: str = Field(description="ISO 3166 alpha-2 code")
    count: int


class CampaignDetailOut(CampaignOut):
    summary: str
    target: str = Field(description="Who the campaign is addressed to")
    by_country: list[CountryCount] = Field(description="Counts by country; they add up to the total")


class SignatureIn(Schema):
    name: str = Field(description="The signer's name, or an organisation's contact person")
    email: str
    country: str = Field(description="ISO 3166 alpha-2 code")
    signer_kind: SignerKind = SignerKind.INDIVIDUAL
    organisation_name: str = ""
    organisation_type: str = Field("", description="For organisations: the directory's types")
    city: str = ""
    public: bool = Field(False, description="The signer agreed to show their name")
    consent_contact: bool = Field(False, description="The signer agreed to be contacted")
    language: str = Field(settings.LANGUAGE_CODE, description="Language of the confirmation email")


class Received(Schema):
    status: str = Field(description='Always "received": the signer must confirm by email')


class CampaignFilters(Schema):
    kind: CampaignKind | None = Field(None, description="petition or declaration")
    open: bool | None = Field(
        None, description="true: taking signatures now; false: closed or not yet open; absent: both"
    )
    lang: str | None = Field(
        None,
        description=f"{LANG_DESCRIPTION}. A translation carries the counts of its campaign in the "
        "site's default language",
        max_length=10,
    )


def _summary(campaign: CampaignPage, counts: CampaignCounts, request: HttpRequest) -> dict:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "kind": campaign.kind,
        "total": counts.total,
        "goal": campaign.goal,
        "open": campaign.is_open(),
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "language": campaign.locale.language_code,
        "url": request.build_absolute_uri(campaign.get_url(request=request)),
    }


def _live_campaign(campaign_id: int) -> CampaignPage:
    campaign = CampaignPage.objects.live().public().select_related("locale").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No live campaign has this id")
    return campaign


class CampaignPagination(CursorPagination):
    """The cursor pages of campaigns, each campaign with its counts: the counts of a whole page
    are read together (translations share their source campaign's), not one by one."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        campaigns = page["items"]
        source_ids = campaign_source_ids(campaigns=campaigns)
        counts = campaign_counts_many(campaign_ids=list(set(source_ids.values())))
        page["items"] = [
            _summary(campaign, counts[source_ids[campaign.pk]], request) for campaign in campaigns
        ]
        return page


@router.get("", response=list[CampaignOut], summary="Live campaigns with their counts, newest opened first")
@paginate(CampaignPagination, ordering=("-opens_at", "-pk"))
def campaign_list(request: HttpRequest, filters: Query[CampaignFilters]):
    """Ordered by opening date, newest first (then by id). Drafts and private campaigns are never
    listed; closed ones are, with `open` false."""
    campaigns = CampaignPage.objects.live().public().select_related("locale")
    if api_language(filters.lang):
        campaigns = campaigns.filter(locale__language_code=filters.lang)
    if filters.kind:
        campaigns = campaigns.filter(kind=filters.kind)
    if filters.open is not None:
        now = timezone.now()
        taking = Q(opens_at__lte=now) & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        campaigns = campaigns.filter(taking) if filters.open else campaigns.exclude(taking)
    return campaigns


@router.get("/{campaign_id}", response=CampaignDetailOut, summary="One campaign with its counts by country")
def campaign_detail(request: HttpRequest, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    campaign = _live_campaign(campaign_id)
    counts = campaign_counts(campaign=campaign)
    return {
        **_summary(campaign, counts, request),
        "summary": campaign.summary,
        "target": campaign.target,
        "by_country": [{"country": code, "count": count} for code, count in counts.by_country],
    }


@router.post(
    "/{campaign_id}/signatures",
    auth=OrganisationTokenAuth(ApiScope.SIGNATURES),
    response={202: Received},
    summary="Post a signature collected on a partner's website",
)
def signature_post(request: HttpRequest, payload: SignatureIn, campaign_id: int = Path(..., ge=1, le=MAX_ID)):
    """The signer receives the confirmation email and counts once they confirm. The answer is
    the same whether or not the address had already signed, so nobody can learn who signed.
    The token needs the "signatures" scope; its source is recorded on the signature."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    campaign = _live_campaign(campaign_id)
    organisation = payload.signer_kind == SignerKind.ORGANISATION
    form_class = EndorsementForm if organisation else SignatureForm
    fields = payload.dict(exclude={"signer_kind", "language", "public", "consent_contact"})
    fields.update({name: "on" for name in ("public", "consent_contact") if getattr(payload, name)})
    form = form_class(fields, campaign=campaign)
    if not form.is_valid():
        raise ApiProblem(422, _("Some fields are not valid."), errors=form.errors)
    if rate_limit_exceeded(
        scope="sign-partner", key=str(token.pk), limit=PARTNER_LIMIT[0], window_seconds=PARTNER_LIMIT[1]
    ) or rate_limit_exceeded(
        scope="sign-email",
        key=form.cleaned_data["email"].strip().lower(),
        limit=EMAIL_LIMIT[0],
        window_seconds=EMAIL_LIMIT[1],
    ):
        raise ApiProblem(
            429,
            _("Too many signatures in a short time. Please try again in an hour."),
            # Both limits count in windows of at most an hour, as the message says.
            headers={"Retry-After": str(max(PARTNER_LIMIT[1], EMAIL_LIMIT[1]))},
        )
    language = payload.language if payload.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    data = services.SignatureInput(
        signer_kind=SignerKind.ORGANISATION if organisation else SignerKind.INDIVIDUAL,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        country=form.cleaned_data["country"],
        organisation_name=form.cleaned_data.get("organisation_name", ""),
        organisation_type=form.cleaned_data.get("organisation_type", ""),
        city=form.cleaned_data.get("city", ""),
        consent_contact=form.cleaned_data["consent_contact"],
        public=form.cleaned_data["public"],
        source=token.source,
        language=language,
        # No ip_hash: the request comes from the partner's server, which says nothing about the
        # signer; the source and the email domain still feed the suspicion scan and the export.
    )
    try:
        services.signature_submit(campaign=campaign, data=data)
    except ValidationError as error:
        raise ApiProblem(409, " ".join(error.messages)) from error
    return Status(202, {"status": "received"})
