"""Saved conversations (kb/history.py): a real SQLite file, answers that come back as they were."""

import sqlite3

import pytest

from kb.errors import HistoryError
from kb.history import History
from kb.qa.ask import answer_to_dict, ask


def test_a_conversation_comes_back_whole_and_follow_ups_still_work(real_index, tmp_path):
    h = History(tmp_path / "c.sqlite", "kb")
    first = ask(real_index, "How long does a Django MVP take?")
    conv = h.start(first.question)
    h.add(conv, first)
    reopened = History(tmp_path / "c.sqlite", "kb")  # another process, after a restart
    back = reopened.answers(conv)[0]
    assert answer_to_dict(back) == answer_to_dict(first)  # text, citations, offsets, supporting spans
    follow = ask(real_index, "And with NestJS?", previous=back)
    assert follow.searched == "How long does a NestJS MVP take?"


def test_list_rename_rate_delete(real_index, tmp_path):
    h = History(tmp_path / "c.sqlite", "kb")
    a = ask(real_index, "Python for serverless?")
    one, two = h.start("x" * 100), h.start("Second")
    h.add(one, a)
    assert [c.id for c in h.conversations()] == [one, two]  # the latest turn first
    assert h.conversations()[0].title == "x" * 59 + "…" and h.conversations()[0].turns == 1
    h.rename(one, "  Serverless  ")
    h.rate(one, 0, 0)
    assert h.ratings(one) == [0] and [x.question for x in h.thumbs_down()] == ["Python for serverless?"]
    with pytest.raises(HistoryError):
        h.rename(one, " ")
    h.delete(one)
    assert [c.title for c in h.conversations()] == ["Second"]
    assert History(tmp_path / "c.sqlite", "other").conversations() == []  # per collection
    with sqlite3.connect(tmp_path / "c.sqlite") as db:  # the turns went with the conversation
        assert db.execute("select count(*) from turns").fetchone() == (0,)


def test_an_unwritable_place_is_a_history_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(HistoryError, match="cannot open saved conversations"):
        History(tmp_path / "file" / "c.sqlite", "kb").conversations()
