"""The Code reports' background work: after a submission, the PDF and the receipts (WeasyPrint
takes seconds; the member who submits does not wait for it)."""

import logging

from django_tasks import task

from .models import Report
from .services import submission

logger = logging.getLogger(__name__)


@task()
def report_submitted_task(*, report_id: int) -> None:
    """Store the submitted report's PDF, then email the receipts."""
    report = (
        Report.objects.select_related(
            "round", "organisation", "response", "response__version", "submitted_by"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.submitted_at is None:
        logger.warning("Code report %s is gone or was never submitted; no receipt sent", report_id)
        return
    submission.report_pdf_store(report)
    sent = submission.report_receipts_send(report)
    logger.info("Code report %s: PDF stored, %s receipts queued", report_id, sent)
