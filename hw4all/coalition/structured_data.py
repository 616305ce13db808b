"""A person of the directory as schema.org Person: only what their public page shows (name, job
title, organisation, photo), never their account or contact details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, without_empty

if TYPE_CHECKING:
    from .models import Person

# The rendition the page shows, so that the data names an image that already exists.
PHOTO_FILTER = "fill-240x240|format-webp"


def person_structured_data(person: Person, request: HttpRequest | None) -> dict[str, Any]:
    organisation = person.organisation
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Person",
            "name": person.name,
            "jobTitle": person.job_title,
            "url": absolute_url(request, person.get_absolute_url()),
            "image": absolute_url(request, person.photo.get_rendition(PHOTO_FILTER).url)
            if person.photo
            else "",
            "affiliation": {
                "@type": "Organization",
                "name": organisation.name,
                "url": absolute_url(request, organisation.get_absolute_url()),
            }
            if organisation is not None
            else None,
        }
    )
