"""The gateway's own rules, no I/O: problem details, cursors, idempotency
decisions, rate buckets."""
