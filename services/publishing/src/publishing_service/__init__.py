"""Publishing service.

Social accounts (secrets encrypted at rest), the publish ledger and rate budgets.
"""
