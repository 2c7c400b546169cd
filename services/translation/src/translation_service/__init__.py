"""Translation service: fills every language an audience needs."""
