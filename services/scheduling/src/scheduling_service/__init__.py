"""Scheduling service: share plans and the durable timers that fire them."""
