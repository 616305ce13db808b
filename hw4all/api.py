"""One API for the whole platform: each app contributes a router."""

from typing import Any

from ninja import NinjaAPI

from hw4all.campaigns.api import router as campaigns_router
from hw4all.coalition.api import router as coalition_router
from hw4all.codereports.api import router as codereports_router
from hw4all.core.apierrors import problem_handlers_install, problems_document
from hw4all.events.api import router as events_router
from hw4all.forum.api import router as forum_router
from hw4all.library.api import router as library_router
from hw4all.news.api import router as news_router
from hw4all.practices.api import router as practices_router
from hw4all.questionnaires.api import router as questionnaires_router
from hw4all.workforce.api import router as workforce_router


class PlatformAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return problems_document(super().get_openapi_schema(**kwargs))


api = PlatformAPI(
    title="Health Workers for All API",
    version="1",
    description="Read access to what the Health Workers for All platform publishes.",
    urls_namespace="api",
)
api.add_router("/articles/", news_router)
api.add_router("/events/", events_router)
api.add_router("/directory/", coalition_router)
api.add_router("/campaigns/", campaigns_router)
api.add_router("/library/", library_router)
api.add_router("/practices/", practices_router)
api.add_router("/forum/", forum_router)
api.add_router("/code-reports/", codereports_router)
api.add_router("/questionnaires/", questionnaires_router)
api.add_router("/workforce/", workforce_router)

problem_handlers_install(api)
