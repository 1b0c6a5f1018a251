"""Numbered schema migrations of placette-keys (run by ``placette migrate``, never on import)."""
