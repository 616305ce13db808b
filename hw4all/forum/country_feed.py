"""The public proposals and discussions of a country's open national space, for the country
feeds (registered with core.country_feed in ForumConfig.ready). Feed readers fetch without a
session, so a closed space gives nothing, as its own feed does."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from hw4all.core.country_feed import CountryFeedItem

from .models import Proposal, SpaceKind, Thread
from .queries.proposals import proposals_visible_q
from .services.access import spaces_visible

SUMMARY_CHARACTERS = 300


def forum_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    anonymous = AnonymousUser()
    spaces = spaces_visible(anonymous).filter(kind=SpaceKind.COUNTRY, country=iso2)
    proposals = (
        Proposal.objects.filter(proposals_visible_q(anonymous), space__in=spaces, is_hidden=False)
        .select_related("space")
        .order_by("-opened_at", "-pk")[:limit]
    )
    threads = (
        Thread.objects.filter(space__in=spaces, is_hidden=False)
        .select_related("space")
        .order_by("-created_at", "-pk")[:limit]
    )
    items = [
        CountryFeedItem(
            kind=_("Proposal"),
            title=proposal.title,
            url=proposal.get_absolute_url(),
            summary=Truncator(proposal.problem).chars(SUMMARY_CHARACTERS),
            published=proposal.opened_at,
        )
        for proposal in proposals
        if proposal.opened_at is not None
    ]
    items += [
        CountryFeedItem(
            kind=_("Discussion"),
            title=thread.title,
            url=thread.get_absolute_url(),
            summary=_("A discussion in %(space)s.") % {"space": thread.space.name},
            published=thread.created_at,
        )
        for thread in threads
    ]
    return items
