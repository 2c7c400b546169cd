"""Gamification service: the points ledger (source of truth) and the Redis leaderboard."""
