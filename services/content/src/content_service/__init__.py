"""Content service: posts, versions, the charter and the approval trail."""
