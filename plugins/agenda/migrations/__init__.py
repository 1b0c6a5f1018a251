"""Numbered schema migrations of the agenda (run by ``placette migrate``)."""
