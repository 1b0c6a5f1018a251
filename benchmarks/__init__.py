"""Benchmarks: a seeded city generator and a harness timing pages (see run.py)."""
