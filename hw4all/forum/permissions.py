"""Who may do what in the collaboration space (loaded by ForumConfig.ready). The objects are
spaces unless said otherwise; services.access holds the rules and the services check them again,
so a view that forgot one still cannot change anything."""

import rules

from hw4all.users.roles import is_secretariat

from .services import access


@rules.predicate
def may_view_space(user, space) -> bool:
    return space is not None and access.may_view_space(user, space)


@rules.predicate
def may_participate(user, space) -> bool:
    return space is not None and access.may_participate(user, space)


@rules.predicate
def is_moderator(user, space) -> bool:
    return space is not None and access.is_moderator(user, space)


@rules.predicate
def may_decide_proposals(user) -> bool:
    return access.may_decide_proposals(user)


# Creating and changing spaces (in the admin).
rules.add_perm("forum.manage_spaces", is_secretariat)
rules.add_perm("forum.view_space", may_view_space)
# Write proposals, threads and comments; support; vote.
rules.add_perm("forum.participate", may_participate)
# Hide and restore content, lock threads, suspend members, open polls, handle reports.
rules.add_perm("forum.moderate", is_moderator)
rules.add_perm("forum.decide_proposals", may_decide_proposals)
