"""The users app's part of the Wagtail admin: who may read core's audit log."""

from wagtail.permissions import register_permission_policy

from hw4all.core.audit import AuditEntry

from .permission_policies import SecretariatOnlyPolicy

# Reading only: the log has no add, edit or delete screen for anyone.
register_permission_policy(AuditEntry, SecretariatOnlyPolicy(AuditEntry))
