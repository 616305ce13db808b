"""Who may do what with questionnaires (loaded by QuestionnairesConfig.ready). Building
questionnaires, inviting, reading every response and exporting are the Secretariat's; answering is
decided per questionnaire by its access (services.responses)."""

import rules

from hw4all.users.roles import is_secretariat

rules.add_perm("questionnaires.manage", is_secretariat)
