"""URLs of the benchmark server (CAREERBREAK_URLCONF=bench.urls, started by `make bench`).

The product's URLs unchanged, plus the baseline page that every benchmark figure is compared with, so
that the baseline is served by the same gunicorn, settings and middleware as the pages it measures.
It lives here, not in config/: the product's configuration never imports the benchmarks.
"""

from django.urls import include, path

from bench.views import baseline

urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("", include("config.urls")),
]
