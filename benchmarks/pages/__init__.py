"""Page modules of the benchmark: one per plugin (REQUIRES, seed(city), pages(city))."""
