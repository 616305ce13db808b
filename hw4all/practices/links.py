"""The addresses of a case's pages, for emails and redirects: each view module names its own
URLs, this is the one place the services learn them."""

from django.urls import reverse

from .models import CaseStudy, ReviewAssignment


def case_public_url(case: CaseStudy) -> str:
    return reverse("practices:case_detail", kwargs={"pk": case.pk, "slug": case.slug or "case"})


def case_author_url(case: CaseStudy) -> str:
    """Where the authors edit the case, or follow it once it is submitted."""
    return reverse("practices:case_edit", kwargs={"pk": case.pk})


def review_url(assignment: ReviewAssignment) -> str:
    return reverse("practices:review", kwargs={"pk": assignment.pk})


def case_admin_url(case: CaseStudy) -> str:
    return reverse("practices_cases:case", kwargs={"pk": case.pk})


def case_thread_url(case: CaseStudy) -> str:
    """The reviewers' private discussion of the case."""
    return reverse("practices:thread", kwargs={"pk": case.pk})
