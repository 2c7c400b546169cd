"""Chorus core: the small, dependency-free pieces every service shares."""
