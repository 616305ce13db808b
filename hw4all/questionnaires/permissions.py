"""Who may do what with questionnaires (loaded by QuestionnairesConfig.ready). Building
questionnaires, inviting, reading every response and exporting are the Secretariat's; answering is
decided per questionnaire by its access (services.responses)."""

import rules

from hw4all.users.roles import SECRETARIAT, user_has_role


@rules.predicate
def is_secretariat(user) -> bool:
    # user_has_role also admits superusers.
    return user_has_role(user, SECRETARIAT)


rules.add_perm("questionnaires.manage", is_secretariat)
