"""Moderation: reports, review cases, decisions, and the helpers every surface uses to keep
hidden and pending resources out of sight (see :mod:`.visibility`)."""
