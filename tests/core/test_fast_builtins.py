"""The cheaper builtins (core/templatetags/fast_builtins.py) write what Django's write.

``{% url %}``: the addresses without arguments are remembered, and are the same as Django's own tag gives,
in every language, with ``as``, and after the script prefix or the URL configuration changes. ``|date``:
the same characters as Django's filter for every format of the four languages, and for what it refuses."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template import Context, Engine, engines
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, set_script_prefix
from django.utils.translation import override

from careerbreak.core.templatetags.fast_builtins import CachedURLNode

SOURCE = (
    "{% url 'portal:home' %}|{% url 'employer:company' %}|{% url 'employer:request_detail' ticket %}"
    "|{% url 'employer:consultation' as there %}{{ there }}|{% url name %}"
    "|{% url 'nothing:here' as none %}[{{ none }}]"
)


def render_both(context: dict[str, Any]) -> tuple[str, str]:
    ours = engines["django"].from_string(SOURCE).render(context)
    django_only = Engine(libraries={}, builtins=[]).from_string(SOURCE).render(Context(context))
    return ours, django_only


def test_the_project_engine_uses_the_remembering_tag() -> None:
    template = engines["django"].from_string("{% url 'portal:home' %}")
    assert isinstance(template.template.nodelist[0], CachedURLNode)  # type: ignore[attr-defined]
    assert isinstance(template.template.nodelist[0], URLNode)  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_it_writes_what_django_s_tag_writes(language: str) -> None:
    context = {"ticket": "2026-00012345-73", "name": "employer:notices"}
    with override(language):
        for _ in range(2):  # reversed, then remembered
            ours, django_only = render_both(context)
            assert ours == django_only
    assert ours.startswith("/|/employer/company/|/employer/consultation/2026-00012345-73/|")


def test_an_unknown_name_still_fails() -> None:
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'nothing:here' %}").render({})


def test_the_script_prefix_and_the_url_configuration_are_part_of_the_address(settings: Any) -> None:
    template = engines["django"].from_string("{% url 'portal:home' %}")
    assert template.render({}) == "/"
    set_script_prefix("/prefix/")
    try:
        assert template.render({}) == "/prefix/"
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = "bench.urls"
    assert engines["django"].from_string("{% url 'bench_baseline' %}").render({}) == "/bench/baseline/"
    settings.ROOT_URLCONF = "careerbreak.devidp.urls"
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'bench_baseline' %}").render({})


FORMATS = (
    *("SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT"),
    *("d/m/Y", r"j \d\e n Y", "y-n-j G:i", "H\\hi", "D d M Y", ""),
)


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_date_filter_writes_what_django_s_writes(language: str) -> None:
    from django.template.defaultfilters import date as django_date
    from django.utils import timezone

    from careerbreak.core.templatetags.fast_builtins import date

    values = [
        datetime.date(2026, 1, 5),
        datetime.date(999, 12, 31),
        datetime.datetime(2026, 11, 7, 8, 3),
        timezone.localtime(timezone.make_aware(datetime.datetime(2026, 3, 29, 23, 59))),
        None,
        "",
        "2026-01-05",
    ]
    with override(language):
        for pattern in (*FORMATS, None):
            for value in values:
                try:
                    expected = django_date(value, pattern)
                except TypeError:  # a time format for a date: Django's own error, ours too
                    with pytest.raises(TypeError):
                        date(value, pattern)
                    continue
                assert date(value, pattern) == expected, (pattern, value)
    template = engines["django"].from_string('{{ d|date:"SHORT_DATE_FORMAT" }}')
    with override("de"):
        assert template.render({"d": datetime.date(2026, 1, 5)}) == "05.01.2026"


STATIC_SOURCE = (
    "{% static 'careerbreak/site.css' %}|{% static path %}|{% static 'a b&c.js' as there %}{{ there }}"
    "|{% static 'careerbreak/app.js' %}"
)


def test_static_without_loading_it_is_the_remembering_tag_and_writes_what_django_s_writes(
    settings: Any,
) -> None:
    from django.templatetags.static import StaticNode

    from careerbreak.core.templatetags.fast_builtins import CachedStaticNode

    template = engines["django"].from_string("{% static 'careerbreak/site.css' %}")
    assert isinstance(template.template.nodelist[0], CachedStaticNode)  # type: ignore[attr-defined]
    assert isinstance(template.template.nodelist[0], StaticNode)  # type: ignore[attr-defined]
    context = {"path": "careerbreak/x <y>.css"}
    django_only = Engine(libraries={"static": "django.templatetags.static"}, builtins=[]).from_string(
        "{% load static %}" + STATIC_SOURCE
    )
    for _ in range(2):  # asked, then remembered
        ours = engines["django"].from_string(STATIC_SOURCE).render(context)
        assert ours == django_only.render(Context(context))
    assert ours.startswith("/static/careerbreak/site.css|/static/careerbreak/x%20%3Cy%3E.css|")
    # Another storage address: what was remembered is forgotten, as Django's storage is.
    settings.STATIC_URL = "/elsewhere/"
    ours = engines["django"].from_string(STATIC_SOURCE).render(context)
    assert ours == django_only.render(Context(context))
    assert ours.startswith("/elsewhere/careerbreak/site.css|")


def test_a_path_from_a_variable_is_never_remembered() -> None:
    from careerbreak.core.templatetags import fast_builtins

    template = engines["django"].from_string("{% static path %}")
    for n in range(3):
        assert template.render({"path": f"file-{n}.css"}) == f"/static/file-{n}.css"
    assert not [path for path in fast_builtins._STATIC if path.startswith("file-")]


def test_extends_keeps_the_root_s_blocks_and_writes_what_django_s_writes() -> None:
    """Three levels, ``block.super``, a block only the root has, a parent given as a Template, each
    rendered twice (the second time from the kept blocks) and by Django's own tag."""
    from careerbreak.core.templatetags.fast_builtins import KeptBlocksExtendsNode

    templates = {
        "root.html": "<{% block title %}Root{% endblock %}|{% block only %}only root{% endblock %}"
        "|{% block body %}root body{% endblock %}>",
        "middle.html": "{% extends 'root.html' %}{% block body %}[{{ block.super }}] middle{% endblock %}",
        "leaf.html": "{% extends 'middle.html' %}{% block title %}{{ name }}{% endblock %}"
        "{% block body %}{{ block.super }} leaf{% endblock %}",
    }
    loaders = [("django.template.loaders.locmem.Loader", templates)]
    project = engines["django"].engine
    ours = Engine(loaders=loaders, builtins=project.builtins)
    django_only = Engine(loaders=loaders)
    leaf = ours.get_template("leaf.html")
    assert isinstance(leaf.nodelist[0], KeptBlocksExtendsNode)
    expected = django_only.get_template("leaf.html").render(Context({"name": "Leaf"}))
    assert expected == "<Leaf|only root|[root body] middle leaf>"
    assert leaf.render(Context({"name": "Leaf"})) == expected
    assert leaf.render(Context({"name": "Leaf"})) == expected
    parent = ours.get_template("root.html")
    given = ours.from_string("{% extends parent %}{% block only %}given{% endblock %}")
    assert given.render(Context({"parent": parent})) == "<Root|given|root body>"
    assert given.render(Context({"parent": parent})) == "<Root|given|root body>"
