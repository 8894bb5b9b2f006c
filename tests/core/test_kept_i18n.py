"""``{% translate %}`` kept per language (core/templatetags/kept_i18n.py) writes what Django's tag writes:
a text written in the template (with ``noop``, ``as``, a translation holding an apostrophe, percent signs,
autoescape off), rendered again from what the node kept, language after language; a text from a variable,
with a filter or a context, is left to Django's node."""

from __future__ import annotations

from django.template import Context, Engine, engines
from django.template.loader import get_template
from django.templatetags.i18n import TranslateNode
from django.utils.translation import override

from careerbreak.core.templatetags.kept_i18n import KeptTranslateNode

BODY = (
    '{% translate "Work queue" %}|{% trans "Enter the day, the month and the year." %}'
    '|{% translate "Take charge" noop %}'
    '|{% translate "Development identity provider" as there %}[{{ there }}]'
    '|{% translate "100% sure, 50%% off" %}|{% translate text %}|{% translate "Work queue"|upper %}'
    '|{% translate "May" context "month name" %}|{% translate "Status" %}'
    '|{% autoescape off %}{% translate "Enter the day, the month and the year." %}{% endautoescape %}'
)
OURS = "{% load i18n kept_i18n %}" + BODY
DJANGOS = "{% load i18n %}" + BODY
ENGINE: Engine = engines["django"].engine  # type: ignore[attr-defined]


def test_only_a_text_written_in_the_template_is_kept() -> None:
    template = ENGINE.from_string(OURS)
    nodes = [node for node in template.nodelist if isinstance(node, KeptTranslateNode)]
    assert len(nodes) == len([node for node in template.nodelist if isinstance(node, TranslateNode)]) == 9
    kept = [node.kept is not None for node in nodes]
    # the variable, the filter and the context are Django's
    assert kept == [True, True, True, True, True, False, False, False, True]


def test_it_writes_what_django_s_tag_writes_language_after_language() -> None:
    ours = ENGINE.from_string(OURS)
    django_only = ENGINE.from_string(DJANGOS)
    written: dict[str, str] = {}
    for _round in range(2):  # the second round from what each node kept
        for language in ("fr", "nl", "de", "en", "fr"):
            with override(language):
                for text in ("Status", "a <b> & 'c'"):
                    context = {"text": text}
                    mine = ours.render(Context(context))
                    assert mine == django_only.render(Context(context))
                    written.setdefault(language + text, mine)
                    assert written[language + text] == mine
    assert "|100% sure, 50%% off|" in written["frStatus"]  # as Django writes them
    assert "&#x27;" not in written["frStatus"] and "'" in written["frStatus"]  # safe: never escaped
    assert "a &lt;b&gt; &amp; &#x27;c&#x27;" in written["fra <b> & 'c'"]  # a variable still escaped
    assert len({written[language + "Status"] for language in ("fr", "nl", "de", "en")}) == 4


def test_base_html_and_the_queue_s_templates_use_the_kept_tag() -> None:
    for name in ("base.html", "office/base.html", "office/queue.html"):
        nodes = get_template(name).template.nodelist.get_nodes_by_type(TranslateNode)  # type: ignore[attr-defined]
        assert nodes and all(isinstance(node, KeptTranslateNode) for node in nodes), name


def test_a_node_forgets_what_it_kept_when_a_test_changes_the_catalogues_settings() -> None:
    from django.test import override_settings

    node = next(node for node in ENGINE.from_string(OURS).nodelist if isinstance(node, KeptTranslateNode))
    with override("fr"):
        node.render(Context({}))
        assert node.kept
        node.kept[("fr", True)] = "stale"  # what a catalogue read before the change would have given
        with override_settings(LOCALE_PATHS=[]):
            assert node.render(Context({})) != "stale"
        assert node.render(Context({})) == "File de travail"
