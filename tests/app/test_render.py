"""How answers and passages are shown: escaped, code as code, supporting sentences marked."""

from kb.app.render import answer_markdown, highlighted
from kb.types import Answer, Chunk, Citation, Hit, Span


def test_a_citation_shows_code_as_code_and_escapes_the_prose_around_it():
    text = "Dump it *now*:\n```\npg_dump -Fc db > [x](y)\n```\nIt writes a custom archive."
    chunk = Chunk("c", "d.html", "T", "", text, 100, 100 + len(text), page=3)
    support = Span("It writes a custom archive.", 100 + text.index("It"), 100 + len(text), 0.9)
    shown = highlighted(Citation(1, Hit(chunk, 1.0), [support]))
    assert shown.startswith("Dump it \\*now\\*\\:")  # prose escaped: no emphasis, no links
    assert "\n\n```\npg_dump -Fc db > [x](y)\n```\n\n" in shown  # code verbatim inside its fence
    assert shown.endswith(":orange-background[**It writes a custom archive\\.**]")  # bold: not colour alone


def test_only_the_answers_own_citation_marks_become_links():
    chunk = Chunk("c", "guide [x](y).md", "T", "", "Text.", 7, 12)
    answer = Answer("q", "Use [1] and [3]; see [x](http://e.io) [1].", True, [Citation(1, Hit(chunk, 1.0))])
    shown = answer_markdown(answer, {"c": "4"})
    assert shown.count("[\\[1\\]](?c=4&doc=guide+%5Bx%5D%28y%29.md&at=7)") == 2  # the id is URL-encoded
    assert "\\[3\\]" in shown and "[\\[3\\]](" not in shown  # no passage 3: left as text
    assert "\\[x\\]\\(http\u2060\\://e\\.io\\)" in shown  # the answer's own markdown stays inert


def test_an_answers_code_block_shows_as_code_and_its_lead_in_is_marked_in_the_passage():
    text = "Dump *one* database:\n```\npg_dump db > [x](y)\n```\nIt writes a script."
    chunk = Chunk("c", "d.html", "T", "", text, 100, 100 + len(text))
    span = Span(text[: text.index("\nIt")], 100, 100 + text.index("\nIt"), 0.9)  # lead-in and its code
    code = "```\npg_dump db > [x](y)\n```"
    answer = Answer(
        "q", f"Dump *one* database [1]:\n\n{code}\n\nMore [1].", True, [Citation(1, Hit(chunk, 1.0), [span])]
    )
    shown = answer_markdown(answer, {"c": "4"})
    assert shown.startswith("Dump \\*one\\* database [\\[1\\]](?c=4&doc=d.html&at=100)\\:")
    assert f"\n\n{code}\n\n" in shown and shown.endswith("More [\\[1\\]](?c=4&doc=d.html&at=100)\\.")
    passage = highlighted(answer.citations[0])
    assert (
        passage.startswith(":orange-background[**Dump \\*one\\* database\\:**]")
        and f"\n\n{code}\n\n" in passage
    )
