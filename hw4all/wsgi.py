import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hw4all.settings.dev")

application = get_wsgi_application()

from hw4all.core.warmup import worker_warm_up  # noqa: E402  (needs the apps loaded above)

worker_warm_up()
