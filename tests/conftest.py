"""Kernel test configuration: the fixtures come from ``placette.testing`` (a pytest plugin)."""
