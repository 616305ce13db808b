"""Core's one model, the audit log, lives with the code that writes it (audit.py)."""

from .audit import AuditEntry

__all__ = ["AuditEntry"]
