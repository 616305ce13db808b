"""The Atom and RSS 2.0 feeds of an open space's activity (the same items). Feed readers fetch
without a session, so a closed space has no feed at all: 404 for everyone, members included."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..models import Activity, Space
from ..queries import notifications as queries
from ..services import access

FEED_LENGTH = 30


class SpaceActivityFeed(Feed):
    feed_type: type[Atom1Feed | Rss201rev2Feed] = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Space:
        space = get_object_or_404(Space, slug=slug)
        if not space.is_open:
            raise Http404
        return space

    def title(self, obj: Space) -> str:
        return _("%(space)s: activity") % {"space": obj.name}

    def link(self, obj: Space) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Space) -> str:
        return obj.description or _("What happens in %(space)s.") % {"space": obj.name}

    def items(self, obj: Space) -> list[Activity]:
        # As an anonymous visitor sees it: nothing hidden, deleted or still a draft.
        activities = queries.activities_visible(
            Activity.objects.filter(space=obj).select_related("space", "comment"), AnonymousUser()
        )
        items = list(activities.order_by("-created_at", "-id")[:FEED_LENGTH])
        self._names = access.display_names([item.actor_id for item in items if item.actor_id])
        return items

    def item_title(self, item: Activity) -> str:
        actor = self._names.get(item.actor_id, "") if item.actor_id else ""
        what = f"{actor} {item.get_kind_display()}" if actor else str(item.get_kind_display()).capitalize()
        return f"{what}: {item.summary}" if item.summary else what

    def item_description(self, item: Activity) -> str:
        # Readers render the description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_link(self, item: Activity) -> str:
        return queries.activity_url(item)

    def item_guid(self, item: Activity) -> str:
        # Several activities link to the same page; a tag URI (RFC 4151) tells them apart.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},2026:forum-activity-{item.pk}"

    def item_guid_is_permalink(self, item: Activity) -> bool:
        return False

    def item_pubdate(self, item: Activity) -> datetime.datetime:
        return item.created_at

    def item_author_name(self, item: Activity) -> str:
        return self._names.get(item.actor_id, "") if item.actor_id else ""


class SpaceActivityRssFeed(SpaceActivityFeed):
    feed_type = Rss201rev2Feed

    def description(self, obj: Space) -> str:
        return self.subtitle(obj)


def space_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return SpaceActivityFeed()(request, slug=slug)


def space_feed_rss(request: HttpRequest, slug: str) -> HttpResponse:
    return SpaceActivityRssFeed()(request, slug=slug)
