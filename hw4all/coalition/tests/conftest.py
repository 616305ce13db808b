import pytest

from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.users.services import user_create

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile():
    return HOSTILE


@pytest.fixture
def make_user(db):
    def make(role: str | None = None, **kwargs):
        roles = (role,) if role else ()
        return user_create(
            email=f"{(role or 'nobody').replace(' ', '')}@example.org",
            password="pw",
            roles=roles,
            is_staff=bool(role),
            **kwargs,
        )

    return make


@pytest.fixture
def secretariat_user(make_user):
    return make_user(SECRETARIAT)


@pytest.fixture
def member_user(make_user):
    return make_user(MEMBER)


@pytest.fixture
def reviewer_user(make_user):
    return make_user(REVIEWER)


@pytest.fixture
def steering_user(make_user):
    return make_user(STEERING_COMMITTEE)
