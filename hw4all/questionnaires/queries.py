"""Reads of questionnaires and responses that more than one caller needs."""

from django.db.models import Q, QuerySet

from .models import Access, Questionnaire, QuestionnaireStatus

LISTED_ACCESS = (Access.PUBLIC, Access.INVITATION, Access.IDENTIFIED)


def listed_surveys() -> QuerySet[Questionnaire]:
    """The questionnaires the public list shows: open ones answered on the site, and those whose
    results are public (open or closed, never drafts or ones embedded in another part)."""
    return (
        Questionnaire.objects.filter(access__in=LISTED_ACCESS, current_version__isnull=False)
        .filter(
            Q(status=QuestionnaireStatus.OPEN) | Q(results_public=True, status=QuestionnaireStatus.CLOSED)
        )
        .select_related("current_version")
        .order_by("-status", "name")
    )
