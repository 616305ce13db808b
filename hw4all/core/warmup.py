"""Work a worker process would do in its first requests, done before it serves any.

Django imports the URLconf (and with it every app's views, Wagtail's admin and the libraries
they import), builds each language's reverse lookup, loads translation catalogues and compiles
validators' regular expressions on first use. Under load, the first seconds after a start or
a restart paid for all of it while requests queued: a petition's signing stalled each worker
for one to three seconds (p99 3.3 s over the first four seconds of bench/signing.py, 0.1 s
after), and threads that met the same lazy object at once each built it again.

What is loaded then lives as long as the process, so it is taken out of the garbage
collector's reach: a full collection walked those 400,000 objects in 200 to 300 ms, during
which the worker answered nothing (26 ms once they were frozen).
"""

import contextlib
import gc

from django.conf import settings
from django.core.validators import validate_email
from django.urls import Resolver404, get_resolver
from django.utils import translation


def worker_warm_up() -> None:
    resolver = get_resolver()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # The resolver builds its reverse lookups, and compiles the language prefix of its
            # patterns, per active language.
            resolver.app_dict  # noqa: B018
            with contextlib.suppress(Resolver404):
                resolver.resolve(f"/{language}/")
    validate_email("warm-up@example.org")
    gc.collect()
    gc.freeze()
