"""A library resource as schema.org Report, ScholarlyArticle or another CreativeWork, with its
identifiers, its files and its licence, for citation managers and search engines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, without_empty

if TYPE_CHECKING:
    from .models import Resource

SCHEMA_TYPES = {
    "report": "Report",
    "policy-brief": "Report",
    "toolkit": "Report",
    "who-reference": "Report",
    "case-study": "ScholarlyArticle",
    "presentation": "PresentationDigitalDocument",
    "video": "VideoObject",
    "dataset": "Dataset",
}
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "CC-BY-NC-ND-3.0-IGO": "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/",
    "CC-BY-NC-SA-3.0-IGO": "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/",
    "public-domain": "https://creativecommons.org/publicdomain/mark/1.0/",
}


def resource_structured_data(resource: Resource, request: HttpRequest | None) -> dict[str, Any]:
    authors = [
        without_empty(
            {
                "@type": "Organization" if author.organisation_id else "Person",
                "name": author.display_name(),
                "url": absolute_url(request, author.get_absolute_url() or ""),
            }
        )
        for author in resource.authors.select_related("person", "organisation")
    ]
    files = list(resource.files.all())
    identifiers = []
    if resource.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": resource.doi})
    if resource.isbn:
        identifiers.append({"@type": "PropertyValue", "propertyID": "ISBN", "value": resource.isbn})
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": SCHEMA_TYPES.get(resource.kind, "CreativeWork"),
            "name": resource.title,
            "description": resource.summary,
            "url": absolute_url(request, resource.get_absolute_url()),
            "sameAs": f"https://doi.org/{resource.doi}" if resource.doi else resource.url,
            "author": authors,
            "publisher": {"@type": "Organization", "name": resource.publisher}
            if resource.publisher
            else None,
            "datePublished": resource.date_text(),
            "inLanguage": sorted({file.language for file in files}),
            "identifier": identifiers,
            "isbn": resource.isbn,
            "license": LICENCE_URLS.get(resource.licence, ""),
            "isAccessibleForFree": True,
            "associatedMedia": [
                without_empty(
                    {
                        "@type": "MediaObject",
                        "name": str(file),
                        "contentUrl": absolute_url(request, file.get_absolute_url()),
                        "encodingFormat": file.format,
                        "inLanguage": file.language,
                        "contentSize": f"{file.size} B" if file.size else "",
                    }
                )
                for file in files
            ],
        }
    )
