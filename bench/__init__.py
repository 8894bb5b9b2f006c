"""Load and speed benchmarks of careerbreak (`make bench`, `make bench-quick`); see docs/performance.md.

Nothing here is imported by the product: the baseline page is mounted only by config.urls_bench.
"""
