"""2. The employer-part PDF (PDF/UA-1): documents per second and milliseconds per document.

Ours: what `employer_part_document` does for a version, without storing it: the context (formatted in
the worker's language, with its two registry look-ups), then `documents.services.render_sealed`: the
seal footer (its verification code and QR code), `documents.rendering.render_pdf` (one FontConfiguration
and the parsed stylesheet with the shipped font per thread) and the electronic seal (`seal.seal_pdf`).

Baseline, in the same run: the same HTML (same template, same context, same footer) and the same
stylesheet with its @font-face rules removed and the family set to "DejaVu Sans", rendered by WeasyPrint
with its defaults (a new FontConfiguration for every document, fonts found through fontconfig, the
stylesheet parsed every time), then sealed the same way.

Measured in one process (one core) and in one process per core; the first document of each process
(loading Pango and the fonts) is reported apart and left out of the rates. Each process also reports
the CPU time per document (`time.process_time`), which a loaded machine inflates much less than the
wall time.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import statistics
import time
from typing import Any

from bench.report import Summary, fmt

TARGET_PER_CORE = 20.0


def _document_of(version_id: int) -> tuple[dict[str, Any], str, str]:
    """What both renderings start from: the employer part's context and title, formatted in the worker's
    language, and that language."""
    from django.utils import translation

    from careerbreak.interruptions.documents import document_language, document_title, employer_part_context
    from careerbreak.interruptions.models import RequestVersion

    version = RequestVersion.objects.select_related(
        "request__enterprise", "request__worker", "created_by"
    ).get(pk=version_id)
    language = document_language(version.request.worker)
    with translation.override(language):
        return employer_part_context(version), language, document_title(version)


def _render_ours(version_id: int, *, sealed: bool = True) -> bytes:
    """The document as the service stores it; without `sealed`, the rendering (its footer included)
    before the seal is applied."""
    from careerbreak.documents.codes import new_code
    from careerbreak.documents.rendering import render_pdf
    from careerbreak.documents.services import render_sealed, seal_footer
    from careerbreak.interruptions.documents import TEMPLATE

    context, language, title = _document_of(version_id)
    if not sealed:
        context = {**context, "seal": seal_footer(new_code())}
        return render_pdf(template=TEMPLATE, context=context, language=language, title=title)
    return render_sealed(template=TEMPLATE, context=context, language=language, title=title, code=new_code())


_BASELINE_CSS: str | None = None


def _baseline_css() -> str:
    global _BASELINE_CSS
    if _BASELINE_CSS is None:
        from careerbreak.documents.rendering import STYLESHEET

        css = STYLESHEET.read_text()
        css = re.sub(r"@font-face\s*{[^}]*}", "", css)
        _BASELINE_CSS = css.replace('"DejaVu Sans Careerbreak"', '"DejaVu Sans", sans-serif')
    return _BASELINE_CSS


def _render_baseline(version_id: int) -> bytes:
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe
    from weasyprint import CSS, HTML

    from careerbreak.documents.codes import new_code
    from careerbreak.documents.seal import seal_pdf
    from careerbreak.documents.services import seal_footer
    from careerbreak.documents.wording import page_numbers_css
    from careerbreak.interruptions.documents import TEMPLATE

    context, language, title = _document_of(version_id)
    with translation.override(language):
        page_numbers = mark_safe(page_numbers_css())  # noqa: S308 - the catalogue's wording, escaped
        html = render_to_string(
            TEMPLATE,
            {
                **context,
                "seal": seal_footer(new_code()),
                "title": title,
                "language": language,
                "page_numbers": page_numbers,
            },
        )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string=_baseline_css())], pdf_variant="pdf/ua-1")
    assert isinstance(pdf, bytes)
    return seal_pdf(pdf)


def _checks(pdf: bytes) -> dict[str, Any]:
    """PDF/UA-1 markers: the pdfuaid part in the XMP metadata, a structure tree, marked content."""
    import io

    from pypdf import PdfReader

    root: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    return {
        "is_pdf": pdf.startswith(b"%PDF-"),
        "pdf_ua_identifier": b"pdfuaid:part" in xmp or b"pdfuaid" in xmp,
        "tagged": "/StructTreeRoot" in root and "/MarkInfo" in root,
        "language": str(root.get("/Lang", "")),
        "bytes": len(pdf),
    }


def _worker(kind: str, version_ids: list[int], seconds: float, queue: Any) -> None:
    import django

    django.setup()
    render = _render_ours if kind == "ours" else _render_baseline
    started = time.perf_counter()
    first = render(version_ids[0])
    cold_ms = (time.perf_counter() - started) * 1000
    checks = _checks(first)
    times = []
    cpu_times = []
    deadline = time.perf_counter() + seconds
    index = 0
    begin = time.perf_counter()
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        c0 = time.process_time()
        render(version_ids[index % len(version_ids)])
        cpu_times.append((time.process_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
        index += 1
    wall = time.perf_counter() - begin
    queue.put({"cold_ms": cold_ms, "times": times, "cpu_times": cpu_times, "wall": wall, "checks": checks})


def _measure(kind: str, processes: int, version_ids: list[int], seconds: float) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_worker, args=(kind, version_ids, seconds, queue)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [queue.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    times = [t for outcome in outcomes for t in outcome["times"]]
    cpu_times = [t for outcome in outcomes for t in outcome["cpu_times"]]
    wall = max(outcome["wall"] for outcome in outcomes)
    docs = len(times)
    return {
        "processes": processes,
        "documents": docs,
        "documents_per_second": round(docs / wall, 1),
        "documents_per_second_per_core": round(docs / wall / processes, 1),
        "ms_per_document_median": round(statistics.median(times), 1) if times else None,
        "ms_per_document_p95": round(sorted(times)[int(len(times) * 0.95)], 1) if times else None,
        "cpu_ms_per_document_median": round(statistics.median(cpu_times), 1) if cpu_times else None,
        "first_document_ms": round(statistics.mean(o["cold_ms"] for o in outcomes), 1),
        "checks": outcomes[0]["checks"],
    }


# The seal (documents/seal.py) may cost at most this share of a rendering.
SEAL_TARGET_SHARE = 0.25


def _measure_seal(version_id: int, seconds: float) -> dict[str, Any]:
    """The electronic seal alone, in this process: pyHanko's incremental update and signature over one
    rendered document, again and again (PAdES-B-B with the development key unless SEAL_TSA_URL is set)."""
    from careerbreak.documents.seal import seal_pdf

    pdf = _render_ours(version_id, sealed=False)
    seal_pdf(pdf)  # the signer built, pyHanko imported
    times = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        seal_pdf(pdf)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "seals": len(times),
        "ms_per_seal_median": round(statistics.median(times), 1),
        "ms_per_seal_p95": round(sorted(times)[int(len(times) * 0.95)], 1),
    }


def run(version_ids: list[int], seconds: float, summary: Summary, say: Any) -> dict[str, Any]:
    cores = os.cpu_count() or 2
    results: dict[str, Any] = {"versions_rendered": len(version_ids)}
    for kind in ("baseline", "ours"):
        for processes in (1, cores):
            say(f"  {kind}, {processes} process(es), {seconds:.0f} s")
            results[f"{kind}_{processes}"] = _measure(kind, processes, version_ids, seconds)
    ours, base = results[f"ours_{cores}"], results[f"baseline_{cores}"]
    one = results["ours_1"]
    speedup = (
        ours["documents_per_second"] / base["documents_per_second"] if base["documents_per_second"] else 0
    )
    results["speedup_over_baseline"] = round(speedup, 2)
    per_core = ours["documents_per_second_per_core"]
    say(
        f"    ours {per_core} docs/s per core ({ours['ms_per_document_median']} ms), baseline "
        f"{base['documents_per_second_per_core']} docs/s per core"
    )
    summary.add(
        "pdf",
        f"documents/s per core ({cores} processes)",
        fmt(per_core),
        fmt(base["documents_per_second_per_core"]),
        f"{speedup:.2f}×",
        f"≥ {TARGET_PER_CORE:.0f}",
        per_core >= TARGET_PER_CORE,
    )
    summary.add(
        "pdf",
        "documents/s, one process",
        fmt(one["documents_per_second"]),
        fmt(results["baseline_1"]["documents_per_second"]),
        "",
        f"≥ {TARGET_PER_CORE:.0f}",
        one["documents_per_second"] >= TARGET_PER_CORE,
    )
    for label, key in (("ms", "ms_per_document_median"), ("CPU ms", "cpu_ms_per_document_median")):
        summary.add(
            "pdf",
            f"{label} per document (median, one process)",
            fmt(one[key]),
            fmt(results["baseline_1"][key]),
            "",
            f"≤ {1000 / TARGET_PER_CORE:.0f}",
            one[key] <= 1000 / TARGET_PER_CORE,
        )
    say(f"  the seal alone, one process, {seconds:.0f} s")
    sealing = results["seal"] = _measure_seal(version_ids[0], seconds)
    # The document's figure includes its seal: the rendering is what remains.
    rendering_ms = max(one["ms_per_document_median"] - sealing["ms_per_seal_median"], 0)
    share = sealing["ms_per_seal_median"] / rendering_ms if rendering_ms else 0
    results["seal"]["share_of_rendering"] = round(share, 3)
    say(f"    seal {sealing['ms_per_seal_median']} ms per document, rendering {rendering_ms} ms")
    summary.add(
        "pdf",
        "seal: ms per document (median; vs the rendering's)",
        fmt(sealing["ms_per_seal_median"]),
        fmt(rendering_ms),
        f"{share:.0%}",
        f"≤ {SEAL_TARGET_SHARE:.0%} of rendering",
        share <= SEAL_TARGET_SHARE,
    )
    checks = ours["checks"]
    summary.add(
        "pdf",
        "PDF/UA-1 identifier and tags",
        "yes" if checks["pdf_ua_identifier"] and checks["tagged"] else "no",
        "",
        "",
        "present",
        bool(checks["pdf_ua_identifier"] and checks["tagged"]),
    )
    return results


def profile(version_ids: list[int], seconds: float) -> dict[str, Any]:
    """pyinstrument over our renderer in this process: where a document's milliseconds go."""
    from pyinstrument import Profiler

    from bench.profiling import PROFILES

    _render_ours(version_ids[0])
    profiler = Profiler(interval=0.001)
    profiler.start()
    deadline = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < deadline:
        _render_ours(version_ids[count % len(version_ids)])
        count += 1
    profiler.stop()
    PROFILES.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (PROFILES / "pdf-pyinstrument.txt").write_text(text)
    root = profiler.last_session.root_frame() if profiler.last_session else None
    total = root.time if root is not None else 0.0
    inclusive: dict[str, float] = {}
    self_time: dict[str, float] = {}

    def walk(frame: Any, seen: frozenset[str]) -> None:
        name = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        self_time[name] = self_time.get(name, 0.0) + frame.total_self_time
        if name not in seen:
            inclusive[name] = inclusive.get(name, 0.0) + frame.time
        for child in frame.children:
            walk(child, seen | {name})

    if root is not None:
        walk(root, frozenset())

    def top(values: dict[str, float], n: int) -> list[tuple[str, float]]:
        ranked = sorted(values.items(), key=lambda item: -item[1])[:n]
        return [(name, round(100 * t / total, 1)) for name, t in ranked] if total else []

    return {
        "documents": count,
        "ms_per_document": round(1000 * seconds / max(count, 1), 1),
        "inclusive_percent": top({k: v for k, v in inclusive.items() if "weasyprint" in k}, 30),
        "self_percent": top(self_time, 25),
    }
