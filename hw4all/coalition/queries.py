"""Reads of the directory that views, the API and other apps share."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django_countries import countries
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from .models import (
    ApiToken,
    ApiTokenUse,
    ApplicationStatus,
    CoalitionRole,
    MembershipApplication,
    Organisation,
    Person,
    Project,
    ProjectParticipation,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# The renditions the list templates ask for, prefetched so that a page of logos or photos
# costs the same number of queries however many it shows.
LOGO_SPEC = "max-160x80|format-webp"
PHOTO_SPEC = "fill-96x96|format-webp"


def _images(spec: str) -> QuerySet:
    return get_image_model().objects.prefetch_renditions(spec)


def organisations_partner_logos() -> list[Organisation]:
    """Organisations shown on the home page: those taking part in a coalition project."""
    return list(
        Organisation.objects.filter(participations__isnull=False)
        .select_related("logo")
        .distinct()
        .order_by("name")
    )


def organisations_directory(
    *,
    country: str = "",
    type: str = "",
    include_partners: bool = False,
) -> QuerySet[Organisation]:
    """Members by default; with `include_partners`, also project partners and event co-promoters."""
    organisations = Organisation.objects.all()
    if include_partners:
        # Subqueries rather than joins: no duplicate rows, so no DISTINCT under the paginator.
        organisations = organisations.filter(
            Q(is_member=True)
            | Q(pk__in=ProjectParticipation.objects.values("organisation"))
            | Q(pk__in=Organisation.objects.filter(co_promoted_events__isnull=False).values("pk"))
        )
    else:
        organisations = organisations.filter(is_member=True)
    if country:
        organisations = organisations.filter(country=country)
    if type:
        organisations = organisations.filter(type=type)
    return organisations.prefetch_related(Prefetch("logo", queryset=_images(LOGO_SPEC))).order_by("name")


def organisation_countries() -> list[tuple[str, str]]:
    """(code, localised name) of the countries the directory has, sorted by name."""
    codes = set(Organisation.objects.exclude(country="").values_list("country", flat=True))
    return sorted(((code, countries.name(code)) for code in codes), key=lambda item: item[1])


def organisation_detail(*, slug: str) -> Organisation:
    return (
        Organisation.objects.select_related("logo")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.select_related("photo").order_by("name")),
            Prefetch(
                "participations",
                queryset=ProjectParticipation.objects.select_related("project").order_by(
                    "-project__start_date"
                ),
            ),
        )
        .get(slug=slug)
    )


def people_directory(*, role: str = "", country: str = "") -> QuerySet[Person]:
    people = Person.objects.select_related("organisation").prefetch_related(
        Prefetch("photo", queryset=_images(PHOTO_SPEC))
    )
    if role:
        people = people.filter(coalition_role=role)
    if country:
        people = people.filter(organisation__country=country)
    # Coalition office-holders first, then everyone by name.
    return people.annotate(
        has_role=Case(
            When(~Q(coalition_role=CoalitionRole.NONE), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("has_role", "name")


def person_detail(*, slug: str) -> Person:
    return Person.objects.select_related("organisation", "photo").get(slug=slug)


def news_index_url_for_author(*, person: Person) -> str | None:
    """The news index in the visitor's language filtered to this author, or None without one.

    The news app sits above this one, so it is found through Wagtail's page tree, not imported."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return None
    index = (
        Page.objects.live()
        .public()
        .filter(content_type__app_label="news", content_type__model="newsindexpage", locale=locale)
        .order_by("path")
        .first()
    )
    if index is None:
        return None
    url = index.get_url()
    return f"{url}?author={person.slug}" if url else None


def projects_all() -> QuerySet[Project]:
    return Project.objects.select_related("funder")


def project_detail(*, slug: str) -> Project:
    return (
        Project.objects.select_related("funder")
        .prefetch_related(
            Prefetch("participations", queryset=ProjectParticipation.objects.select_related("organisation"))
        )
        .get(slug=slug)
    )


def membership_applications_for_review() -> QuerySet[MembershipApplication]:
    """Pending applications first, then decided ones; newest first within each."""
    return MembershipApplication.objects.annotate(
        pending_first=Case(
            When(status=ApplicationStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("pending_first", "-created_at")


def coalition_roles() -> list[tuple[str, StrPromise]]:
    """The roles a person can be filtered by (holding no role is not one)."""
    return [(value, label) for value, label in CoalitionRole.choices if value]


def organisation_of(user) -> Organisation | None:
    """The directory organisation an account speaks for, through its person, if it has one."""
    try:
        person = user.person
    except (AttributeError, ObjectDoesNotExist):
        return None
    return person.organisation if person is not None else None


def api_token_hash(plaintext: str) -> str:
    # Tokens are long random strings, so a plain digest is enough (no salt or slow hash needed).
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_find(*, plaintext: str) -> ApiToken | None:
    """The token with this secret, revoked or not (the caller refuses a revoked one and logs it)."""
    return (
        ApiToken.objects.select_related("organisation").filter(token_hash=api_token_hash(plaintext)).first()
    )


def api_token_origins() -> frozenset[str]:
    """Every origin registered on a token that is not revoked."""
    rows = (
        ApiToken.objects.filter(revoked_at__isnull=True).exclude(origins="").values_list("origins", flat=True)
    )
    return frozenset(line.strip() for origins in rows for line in origins.splitlines() if line.strip())


def api_token_uses(*, token: ApiToken) -> QuerySet[ApiTokenUse]:
    return token.uses.order_by("-at", "-pk")
