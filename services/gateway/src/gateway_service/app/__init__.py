"""The gateway's use cases: who is calling (authentication, account link,
role grants, minted token), idempotency and rate limits, on ports."""
