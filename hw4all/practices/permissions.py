"""Who may do what with practices (loaded by PracticesConfig.ready)."""

import rules

from hw4all.users.roles import SECRETARIAT, user_has_role


@rules.predicate
def is_secretariat(user) -> bool:
    # user_has_role also admits superusers.
    return user_has_role(user, SECRETARIAT)


# Creating a criteria set's next version and publishing it.
rules.add_perm("practices.manage_criteria", is_secretariat)
