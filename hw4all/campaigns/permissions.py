"""Who may do what with campaign signatures (loaded by CampaignsConfig.ready). Signatures hold
supporters' personal data: only the Secretariat sees, exports and moderates them."""

import rules

from hw4all.users.roles import SECRETARIAT, user_has_role


@rules.predicate
def is_secretariat(user) -> bool:
    """user_has_role also admits superusers. The answer is kept on the user object (one per
    request) because an admin listing asks once per row and per button."""
    answer = getattr(user, "_campaigns_is_secretariat", None)
    if answer is None:
        answer = user_has_role(user, SECRETARIAT)
        if user.is_authenticated:
            user._campaigns_is_secretariat = answer
    return answer


MODERATE = "campaigns.moderate_signature"

rules.add_perm(MODERATE, is_secretariat)
