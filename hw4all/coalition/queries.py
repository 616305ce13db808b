from django.db.models import QuerySet

from .models import Organisation, Project


def organisations_partner_logos() -> list[Organisation]:
    """Organisations shown on the home page: those taking part in a coalition project."""
    return list(
        Organisation.objects.filter(participations__isnull=False).select_related("logo").distinct().order_by("name")
    )


def projects_all() -> QuerySet[Project]:
    return Project.objects.select_related("funder")
