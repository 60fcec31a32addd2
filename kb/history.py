"""Saved conversations: the chat's questions and answers in a SQLite file in the data folder.

One file per data folder (`conversations.sqlite`), conversations kept per collection. An answer
is stored as `kb ask --json` prints it, so a reloaded conversation shows and cites the same.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kb.errors import HistoryError
from kb.qa.ask import answer_from_dict, answer_to_dict
from kb.types import Answer

SCHEMA = """
create table if not exists conversations (
    id integer primary key, collection text not null, title text not null,
    created text not null, updated text not null);
create table if not exists turns (
    conversation integer not null references conversations(id) on delete cascade,
    n integer not null, answer text not null, thumbs integer, primary key (conversation, n));
"""
TITLE_CHARS = 60


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    updated: str  # ISO time of the last turn
    turns: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class History:
    """The saved conversations of one collection."""

    def __init__(self, path: Path, collection: str) -> None:
        self.path, self.collection = Path(path), collection
        self._ready = False  # the schema is made on the first connection, not on every one

    def _db(self) -> sqlite3.Connection:
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path)
            db.execute("pragma foreign_keys = on")
            if not self._ready:
                db.executescript(SCHEMA)
                self._ready = True
            return db
        except (sqlite3.Error, OSError) as e:
            raise HistoryError(f"cannot open saved conversations {self.path}: {e}") from e

    def _run(self, sql: str, *args) -> list[tuple]:
        with closing(self._db()) as db, db:
            try:
                return db.execute(sql, args).fetchall()
            except sqlite3.Error as e:
                raise HistoryError(f"saved conversations {self.path}: {e}") from e

    def conversations(self) -> list[Conversation]:
        """The collection's conversations, the latest first."""
        rows = self._run(
            "select c.id, c.title, c.updated, count(t.n) from conversations c"
            " left join turns t on t.conversation = c.id where c.collection = ?"
            " group by c.id order by c.updated desc, c.id desc",
            self.collection,
        )
        return [Conversation(*row) for row in rows]

    def start(self, first_question: str) -> int:
        """A new conversation titled after its first question; its id."""
        title = " ".join(first_question.split())
        title = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"
        now = _now()
        self._run(
            "insert into conversations (collection, title, created, updated) values (?, ?, ?, ?)",
            self.collection, title, now, now,
        )  # fmt: skip
        return self._run("select max(id) from conversations where collection = ?", self.collection)[0][0]

    def add(self, conversation: int, answer: Answer) -> None:
        """Append a question and its answer."""
        n = self._run("select count(*) from turns where conversation = ?", conversation)[0][0]
        row = (conversation, n, json.dumps(answer_to_dict(answer)))
        self._run("insert into turns (conversation, n, answer) values (?, ?, ?)", *row)
        self._run("update conversations set updated = ? where id = ?", _now(), conversation)

    def answers(self, conversation: int) -> list[Answer]:
        rows = self._run("select answer from turns where conversation = ? order by n", conversation)
        return [answer_from_dict(json.loads(a)) for (a,) in rows]

    def rate(self, conversation: int, n: int, thumbs: int | None) -> None:
        """Thumbs up (1), down (0) or neither (None) for the n-th answer (0-based)."""
        self._run("update turns set thumbs = ? where conversation = ? and n = ?", thumbs, conversation, n)

    def ratings(self, conversation: int) -> list[int | None]:
        rows = self._run("select thumbs from turns where conversation = ? order by n", conversation)
        return [t for (t,) in rows]

    def thumbs_down(self) -> list[Answer]:
        """Every answer rated thumbs down in this collection, oldest first."""
        rows = self._run(
            "select t.answer from turns t join conversations c on c.id = t.conversation"
            " where c.collection = ? and t.thumbs = 0 order by c.created, t.n",
            self.collection,
        )
        return [answer_from_dict(json.loads(a)) for (a,) in rows]

    def rename(self, conversation: int, title: str) -> None:
        if not title.strip():
            raise HistoryError("a conversation's title cannot be empty")
        self._run("update conversations set title = ? where id = ?", " ".join(title.split()), conversation)

    def delete(self, conversation: int) -> None:
        self._run("delete from conversations where id = ?", conversation)
