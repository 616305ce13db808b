"""Who may do what with campaign signatures (loaded by CampaignsConfig.ready). Signatures hold
supporters' personal data: only the Secretariat sees, exports and moderates them."""

import rules

from hw4all.users.roles import is_secretariat

MODERATE = "campaigns.moderate_signature"

rules.add_perm(MODERATE, is_secretariat)
