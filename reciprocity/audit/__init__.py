"""The audit log: who changed which object, how, when, and which fields (before and after).

Writes are recorded by django-auditlog's model signals into `AuditEntry` (append-only, in the
database too); `registry.py` says which models are recorded and which fields never are.
Staff read it at /audit/. See docs/decisions/0008-audit-log.md.
"""
