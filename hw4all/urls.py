from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hw4all.api import api
from hw4all.core import health
from hw4all.core import views as core_views
from hw4all.core.apierrors import api_not_found
from hw4all.core.robots import robots_txt
from hw4all.core.sitemaps import sitemaps
from hw4all.users.throttling import account_rate_limited

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", api_not_found, name="api_not_found"),
    # Outside the language prefix: crawlers look for these at the root.
    path("robots.txt", robots_txt, name="robots_txt"),
    path("health/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path(
        "sitemap.xml",
        sitemaps_views.index,
        {"sitemaps": sitemaps(), "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", sitemaps_views.sitemap, {"sitemaps": sitemaps()}, name="sitemap_section"),
]

if settings.BENCHMARK_VIEWS:
    from hw4all.campaigns import bench_views

    urlpatterns.append(path("bench/insert/", bench_views.bare_insert))

urlpatterns += i18n_patterns(
    # First: a viral petition's signing requests are the busiest, and each pattern tried before
    # the match costs them time.
    path("", include("hw4all.campaigns.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("hw4all.coalition.urls")),
    path("", include("hw4all.events.urls")),
    path("", include("hw4all.library.urls")),
    path("", include("hw4all.practices.urls")),
    path("", include("hw4all.forum.urls")),
    path("", include("hw4all.questionnaires.urls")),
    path("", include("hw4all.codereports.urls")),
    path("", include("hw4all.workforce.urls")),
    path("", include("hw4all.core.feeds")),
    path("", include(wagtail_urls)),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = core_views.page_not_found
handler500 = core_views.server_error
# allauth looks for this name in the root URLconf when one of its rate limits refuses a request.
handler429 = account_rate_limited
