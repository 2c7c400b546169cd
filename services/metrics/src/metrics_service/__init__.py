"""Metrics service: tracked short links, the click log and KPI aggregates."""
