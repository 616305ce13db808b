from django.contrib.auth.models import Group

from .models import User
from .roles import ALL_ROLES


def user_create(
    *,
    email: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    roles: tuple[str, ...] = (),
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified: bool = True,
) -> User:
    """Create an account; `email_verified` marks its address as confirmed for allauth."""
    from allauth.account.models import EmailAddress

    user = User(
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=email_verified, primary=True)
    for role in roles:
        if role not in ALL_ROLES:
            raise ValueError(f"Unknown role: {role}")
        user.groups.add(Group.objects.get(name=role))
    return user
