"""Who may do what with practices (loaded by PracticesConfig.ready). The services check the same
rules again, so a view that forgot one still cannot change anything."""

import rules

from hw4all.users.roles import REVIEWER, is_secretariat, user_has_role

from .models import ACTIVE_ASSIGNMENTS, CaseAuthor


@rules.predicate
def is_reviewer(user) -> bool:
    return user_has_role(user, REVIEWER)


@rules.predicate
def may_write_cases(user) -> bool:
    from .services import may_author

    return may_author(user)


@rules.predicate
def is_case_author(user, case) -> bool:
    return (
        case is not None
        and user.is_authenticated
        and CaseAuthor.objects.filter(case=case, user=user).exists()
    )


@rules.predicate
def case_is_editable(user, case) -> bool:
    return case is not None and case.is_editable


@rules.predicate
def is_case_reviewer(user, case) -> bool:
    """Assigned to the case in any round and not stepped aside or withdrawn."""
    return (
        case is not None
        and user.is_authenticated
        and case.assignments.filter(reviewer=user, status__in=ACTIVE_ASSIGNMENTS).exists()
    )


@rules.predicate
def case_is_published(user, case) -> bool:
    return case is not None and case.is_published


# Creating a criteria set's next version and publishing it.
rules.add_perm("practices.manage_criteria", is_secretariat)
# Screening, assigning reviewers, deciding, publishing; seeing every case and every score.
rules.add_perm("practices.manage_cases", is_secretariat)
rules.add_perm("practices.write_case", may_write_cases)
rules.add_perm("practices.review_cases", is_reviewer)
rules.add_perm("practices.edit_case", is_case_author & case_is_editable)
rules.add_perm("practices.view_case", case_is_published | is_case_author | is_case_reviewer | is_secretariat)
# The case's private discussion and the reviewers' side of it.
rules.add_perm("practices.discuss_case", is_case_reviewer | is_secretariat)
