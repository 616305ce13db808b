"""The coalition's roles are Django groups; a migration creates them."""

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
