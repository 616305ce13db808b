"""Admin permission policies shared by the apps whose records only the Secretariat handles."""

from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from wagtail.permission_policies import ModelPermissionPolicy

from .roles import SECRETARIAT, is_secretariat


class SecretariatOnlyPolicy(ModelPermissionPolicy):
    """Only the Secretariat (and superusers) may use the admin's generic views of the model, and
    only for the actions given: by default listing and inspecting, no adding, editing or
    deleting, which the apps' services and own views do."""

    def __init__(self, model: type[Model], *, allowed: tuple[str, ...] = ("view",)) -> None:
        super().__init__(model)
        self.allowed = allowed

    def user_has_permission(self, user, action):
        return action in self.allowed and is_secretariat(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not any(action in self.allowed for action in actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT), is_active=True)
            .distinct()
        )
