"""Load and speed benchmarks of careerbreak (`make bench`, `make bench-quick`); see docs/performance.md.

Nothing here is imported by the product: the baseline page is mounted only by bench.urls, the URLconf
of the benchmark's own gunicorn (CAREERBREAK_URLCONF=bench.urls); config/ never imports bench/.
"""
