"""Who may do what with Code reports (loaded by CodeReportsConfig.ready). The services check the
same rules again, so a view that forgot one still cannot change anything.

A report belongs to an organisation: the members of that organisation write it and move it through
its steps; the Secretariat may read it but not write or submit it for them; everyone reads it once
it is published, and members of other member organisations may then co-sign it."""

import rules

from hw4all.coalition.queries import organisation_of
from hw4all.users.roles import MEMBER, is_secretariat, user_has_role


@rules.predicate
def is_member_of_a_member_organisation(user) -> bool:
    """A member account speaking for an organisation of the coalition: who may write reports."""
    if not user_has_role(user, MEMBER):
        return False
    organisation = organisation_of(user)
    return organisation is not None and organisation.is_member


@rules.predicate
def is_report_owner(user, report) -> bool:
    """A member of the organisation the report belongs to."""
    if report is None or not user_has_role(user, MEMBER):
        return False
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == report.organisation_id


@rules.predicate
def report_is_published(user, report) -> bool:
    return report is not None and report.is_published


# Starting a report for one's organisation.
rules.add_perm("codereports.start_report", is_member_of_a_member_organisation)
rules.add_perm("codereports.view_report", report_is_published | is_report_owner | is_secretariat)
# Writing the answers (while a draft: the services check the status) and moving it through its steps.
rules.add_perm("codereports.edit_report", is_report_owner)
rules.add_perm("codereports.change_report_status", is_report_owner)
rules.add_perm(
    "codereports.cosign_report",
    report_is_published & is_member_of_a_member_organisation & ~is_report_owner,
)
