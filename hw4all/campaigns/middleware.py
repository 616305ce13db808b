"""The signing fast path: a valid signature is accepted without the rest of the middleware stack.

A petition going viral is the busiest thing this platform serves, and at that rate the session,
locale, CSRF, authentication, messages, htmx, allauth and Wagtail middleware and the URL
resolver cost a signature more than the signing does (docs/decisions/0004). What a valid post
needs is the campaign, the language of its URL and the client's address; its answer is a
redirect with no body, no cookie and nothing that depends on who is signed in. So this
middleware, placed right after the ones that add the security headers, decides a signing post
with the view's own code (`views.signing_decide`) and answers the redirect itself. Anything
else goes on through the stack unchanged: a GET, a post with errors or refused (its outcome
handed to the view, so that nothing is counted or written twice), an unknown language or
campaign; an oversized body or a failing database is handed to the view as the error it raises,
for the stack to answer.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import translation

# campaigns/urls.py's signature_create under i18n_patterns; a test holds them together.
SIGN_PATH = re.compile(r"/([A-Za-z-]{2,10})/campaigns/([0-9]{1,18})/sign/")


class SigningFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            match = SIGN_PATH.fullmatch(request.path_info)
            if match is not None and match[1] in self.languages:
                response = self.signature_accept(request, language=match[1], campaign_id=int(match[2]))
                if response is not None:
                    return response
        return self.get_response(request)

    def signature_accept(
        self, request: HttpRequest, *, language: str, campaign_id: int
    ) -> HttpResponseBase | None:
        from .queries import campaign_for_signing
        from .views import signing_decide

        try:
            campaign = campaign_for_signing(campaign_id=campaign_id)
            if campaign is None:
                return None
            with translation.override(language):
                outcome: object = signing_decide(request, campaign, language=language)
        except Exception as error:
            # An oversized or malformed body, a database that failed: the view raises it as its
            # own and the stack answers it as for any other page (400, 503), without a second try.
            outcome = error
        if not isinstance(outcome, str):
            request.signing_outcome = outcome  # type: ignore[attr-defined]
            return None
        response = HttpResponseRedirect(outcome)
        # What LocaleMiddleware and CommonMiddleware would add.
        response["Content-Language"] = language
        response["Content-Length"] = "0"
        # As the view is: a partner's page may frame the form, so the framed policy applies.
        response.xframe_options_exempt = True
        return response
