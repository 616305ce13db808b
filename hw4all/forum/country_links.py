"""The forum's national space of a country, for the workforce profile's "On this platform"
(registered with core.country_links in ForumConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hw4all.core.country_links import CountryLink

from .models import SpaceKind
from .services.access import spaces_visible


def forum_country_links(iso2: str, user: Any) -> list[CountryLink]:
    """The national spaces of the country the person may see: open ones for everyone, a closed
    one for its members (and the Secretariat) only."""
    spaces = spaces_visible(user).filter(kind=SpaceKind.COUNTRY, country=iso2).only("name", "slug")
    return [
        CountryLink(kind=_("Forum space"), title=space.name, url=space.get_absolute_url())
        for space in spaces.order_by("name")
    ]
