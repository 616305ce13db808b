from hw4all.practices.diff import revision_diff, text_of


def test_only_changed_fields_are_listed_with_their_words_marked():
    old = {"title": "Retaining nurses", "results": "<p>Vacancies fell to 12%.</p>", "countries": ["KE"]}
    new = {"title": "Retaining nurses", "results": "<p>Vacancies fell to 10%.</p>", "countries": ["KE", "UG"]}
    changes = {change.name: change for change in revision_diff(old, new)}
    assert set(changes) == {"results", "countries"}
    assert str(changes["results"].as_html()) == "Vacancies fell to <del>12%.</del><ins>10%.</ins>"
    assert str(changes["countries"].as_html()) == "Kenya<ins>, Uganda</ins>"


def test_markup_in_the_text_is_escaped_in_the_diff():
    changes = revision_diff({"summary": "a"}, {"summary": "a <script>alert(1)</script>"})
    assert "<script>" not in str(changes[0].as_html())
    assert "&lt;script&gt;" in str(changes[0].as_html())


def test_sections_are_compared_as_the_words_a_reader_sees():
    assert text_of("<p>One &amp; two</p><p>Three</p>") == "One & two\nThree"
    assert revision_diff({"practice": "<p>Same</p>"}, {"practice": "<p><strong>Same</strong></p>"}) == []
