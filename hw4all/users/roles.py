"""The coalition's roles are Django groups; a migration creates them."""

import rules

SECRETARIAT = "Secretariat"
MEMBER = "Member"
REVIEWER = "Reviewer"
STEERING_COMMITTEE = "Steering Committee"

ALL_ROLES = (SECRETARIAT, MEMBER, REVIEWER, STEERING_COMMITTEE)


def user_has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()


@rules.predicate
def is_secretariat(user) -> bool:
    """An active Secretariat account, or a superuser: who runs the platform. The answer is kept on
    the user object (one per request): an admin listing or a forum page asks once per row, comment
    and button."""
    if not user.is_authenticated:
        return False
    # getattr and setattr, not the object's __dict__: they pass through the request's lazy user.
    answer = getattr(user, "_is_secretariat", None)
    if answer is None:
        answer = bool(user.is_active and user_has_role(user, SECRETARIAT))
        user._is_secretariat = answer
    return answer
