import pytest


@pytest.mark.parametrize(
    ("role_fixture", "allowed"),
    [("secretariat_user", True), ("member_user", False), ("reviewer_user", False), ("steering_user", False)],
)
@pytest.mark.django_db
def test_only_the_secretariat_decides_on_applications(request, role_fixture, allowed):
    user = request.getfixturevalue(role_fixture)
    assert user.has_perm("coalition.decide_membershipapplication") is allowed


@pytest.mark.django_db
def test_anonymous_cannot_decide():
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("coalition.decide_membershipapplication")
