"""Who may do what in the coalition app (loaded by CoalitionConfig.ready)."""

import rules

from hw4all.users.roles import SECRETARIAT, user_has_role


@rules.predicate
def is_secretariat(user) -> bool:
    # user_has_role also admits superusers.
    return user_has_role(user, SECRETARIAT)


rules.add_perm("coalition.decide_membershipapplication", is_secretariat)
