"""Shared test helpers and pytest fixtures (real infrastructure, from the
environment `make test` sets up)."""
