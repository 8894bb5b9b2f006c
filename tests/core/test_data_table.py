"""``{% data_table %}`` draws the same frame the list pages wrote by hand, escaped."""

from django.template import Context, Template

PAGE = (
    '{% load tables %}{% data_table rows as a b caption title columns "One" "Two" actions empty "None." %}'
    "<tr><td>{{ a }}</td><td>{{ b }}</td></tr>{% end_data_table %}"
)


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_rows_are_drawn_in_a_table_with_a_hidden_caption_and_headings() -> None:
    html = render(PAGE, rows=[(1, "<b>"), (2, "x")], title="Rows & more")
    assert html == (
        '<table class="data stacked">\n  <caption class="visually-hidden">Rows &amp; more</caption>\n'
        '  <thead><tr><th scope="col">One</th><th scope="col">Two</th>'
        '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>\n'
        '  <tbody><tr><td data-label="One">1</td><td data-label="Two">&lt;b&gt;</td></tr>'
        '<tr><td data-label="One">2</td><td data-label="Two">x</td></tr>  </tbody>\n</table>'
    )


def test_no_rows_show_the_empty_sentence_and_no_table() -> None:
    assert render(PAGE, rows=[], title="Rows") == "<p>None.</p>"


def test_without_an_empty_sentence_the_table_is_drawn_with_no_rows_and_a_visible_caption() -> None:
    html = render(
        '{% load tables %}{% data_table rows as row caption "Rows" visible %}{% end_data_table %}', rows=[]
    )
    assert '<table class="data stacked">\n  <caption>Rows</caption>' in html and "<tbody>  </tbody>" in html


def test_each_cell_gets_its_column_heading_as_its_label_for_narrow_screens() -> None:
    # On a phone the stylesheet writes the label before the value (site.css, table.stacked); a row header,
    # an escaped heading, a cell that has its own label, the actions column (no label) and <thead>/<tbody>
    # inside a cell's text are all handled.
    html = render(
        '{% load tables %}{% data_table rows as a caption "T" columns "Name & role" "Number" "X" actions %}'
        '<tr><th scope="row">{{ a }}</th><td class="x">&lt;thead&gt;</td><td data-label="Own">3</td>'
        "<td><button>Go</button></td></tr>{% end_data_table %}",
        rows=["Ann"],
    )
    assert '<th data-label="Name &amp; role" scope="row">Ann</th>' in html
    assert '<td data-label="Number" class="x">&lt;thead&gt;</td>' in html
    assert '<td data-label="Own">3</td>' in html
    assert "<td><button>Go</button></td>" in html
