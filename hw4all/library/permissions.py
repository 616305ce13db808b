"""Who may do what in the library (loaded by LibraryConfig.ready)."""

import rules

from hw4all.users.roles import MEMBER, is_secretariat, user_has_role


@rules.predicate
def is_member(user) -> bool:
    return user_has_role(user, MEMBER)


rules.add_perm("library.decide_resource", is_secretariat)
rules.add_perm("library.submit_resource", is_member | is_secretariat)
