"""A baseline for the signing benchmark (bench/signing.py): the cheapest write a Django view can
make, one row per POST in its own transaction, on the same server and settings as the real
signing path. Mounted only when settings.BENCHMARK_VIEWS is on; the benchmark creates the table."""

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

BARE_INSERT_TABLE = "bench_bare_insert"


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_INSERT_TABLE} (email, created_at) VALUES (%s, %s)",  # noqa: S608 - constant
            [request.POST.get("email", ""), timezone.now().isoformat()],
        )
    return HttpResponse(status=201)
