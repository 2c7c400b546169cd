"""Targeting service: the employee directory and audience resolution."""
