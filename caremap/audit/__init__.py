"""The audit trail: `audit.record(actor, "people.view", person=..., reason=...)`."""

from caremap.audit.operations import diff, record, record_read, record_reads

__all__ = ["diff", "record", "record_read", "record_reads"]
