"""What the platform holds about a country, gathered from the apps that hold it.

The workforce profile links to case studies, library resources, Code reports and forum spaces
about its country, but may import none of those apps. Each of them registers a provider here
(in its AppConfig.ready) and the profile asks core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CountryLink:
    kind: str  # what it is, translated: "Case study", "Library resource", ...
    title: str
    url: str


# (ISO 3166-1 alpha-2 code, the user asking) -> what that user may see about the country
CountryLinkProvider = Callable[[str, Any], list[CountryLink]]
_providers: list[CountryLinkProvider] = []


def country_links_register(provider: CountryLinkProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def country_links(iso2: str, user: Any) -> list[CountryLink]:
    return [link for provider in _providers for link in provider(iso2, user)]
