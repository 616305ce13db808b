"""Who may do what in the coalition app (loaded by CoalitionConfig.ready)."""

import rules

from hw4all.users.roles import is_secretariat

rules.add_perm("coalition.decide_membershipapplication", is_secretariat)
