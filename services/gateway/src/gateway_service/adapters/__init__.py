"""The gateway's adapters: its tables (idempotency records, role grants),
Redis token buckets, the signing key and the gRPC clients of the services."""
