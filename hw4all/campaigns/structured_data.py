"""A petition or declaration as schema.org CreativeWork: when it opens and closes, who publishes
it, and how many have signed (the cached count the page shows, at most a minute old)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty

from .queries import campaign_counts

if TYPE_CHECKING:
    from .models import CampaignPage

AGREE = "https://schema.org/AgreeAction"
# The kinds' labels in the admin say who signs; the data names the kind only.
GENRES = {"petition": _("Petition"), "declaration": _("Declaration")}


def campaign_structured_data(campaign: CampaignPage, request: HttpRequest | None) -> dict[str, Any]:
    counts = campaign_counts(campaign=campaign)
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "CreativeWork",
            "genre": str(GENRES.get(campaign.kind, "")),
            "name": campaign.title,
            "description": campaign.summary,
            "url": absolute_url(request, campaign.url),
            "dateCreated": campaign.opens_at.isoformat(),
            "expires": campaign.closes_at.isoformat() if campaign.closes_at else "",
            "publisher": coalition(request),
            "inLanguage": translation.get_language(),
            "interactionStatistic": {
                "@type": "InteractionCounter",
                "interactionType": AGREE,
                "userInteractionCount": counts.total,
            },
        }
    )
