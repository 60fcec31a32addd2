"""The `kb` command: output, JSON purity and one-line errors with non-zero exits."""

import json
import os
import subprocess
import sys

import pytest

from kb.cli import main
from tests.conftest import DOC_A, DOC_B, ROOT, copy_corpus
from tests.documents import pdf_from_lines

pytestmark = pytest.mark.slow


def kb(tmp_path, *args, env=None):
    """Run the real `kb` console script in a subprocess."""
    full_env = {
        **os.environ,
        "KB_DATA_DIR": str(tmp_path / "data"),
        "KB_CORPUS_DIR": str(tmp_path / "corpus"),
    }
    full_env.update(env or {})
    exe = os.path.join(os.path.dirname(sys.executable), "kb")
    return subprocess.run([exe, *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)


def test_ingest_ask_json_and_sources_end_to_end(tmp_path):
    copy_corpus(tmp_path / "corpus")
    r = kb(tmp_path, "ingest")
    assert r.returncode == 0, r.stderr
    assert "2 added, 0 updated, 0 removed, 0 unchanged" in r.stdout

    r = kb(tmp_path, "ask", "Python for serverless?", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # stdout is pure JSON
    assert data["found"] is True and data["question"] == "Python for serverless?"
    assert "[1]" in data["answer"] and data["citations"][0]["doc_id"] == DOC_B
    assert "cold start" in data["answer"]

    r = kb(tmp_path, "ask", "Who won the 2022 FIFA World Cup?")
    assert r.returncode == 0 and "do not cover" in r.stdout and "[1]" not in r.stdout

    r = kb(tmp_path, "sources")
    assert DOC_A in r.stdout and DOC_B in r.stdout and "2 documents" in r.stdout


def test_offsets_and_pages_point_into_the_text_kb_show_prints(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ops.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><h1>Operations</h1>"
        "<p>Nightly backups are kept for thirty-five days on the offsite store.</p>"
        "<pre>backup --keep 35d</pre><footer>Copyright</footer></body></html>"
    )
    (corpus / "manual.pdf").write_bytes(
        pdf_from_lines(
            [
                ["Intro page about the manual and how to read it."],
                ["Failover to the standby region takes about four minutes."],
            ]
        )  # fmt: skip
    )
    assert kb(tmp_path, "ingest").returncode == 0
    for question, doc_id, page in [
        ("How long are nightly backups kept?", "ops.html", None),
        ("How long does failover to the standby region take?", "manual.pdf", 2),
    ]:
        cited = json.loads(kb(tmp_path, "ask", question, "--json").stdout)["citations"][0]
        shown = json.loads(kb(tmp_path, "show", doc_id, "--json").stdout)
        assert cited["doc_id"] == doc_id and cited["page"] == page
        assert shown["text"][cited["char_start"] : cited["char_end"]] == cited["text"]
    r = kb(tmp_path, "ask", "How long are nightly backups kept?")
    assert "    ```\n    backup --keep 35d\n    ```" in r.stdout  # the code block printed as code
    r = kb(tmp_path, "ask", "How long does failover to the standby region take?")
    assert "manual.pdf, p. 2, chars" in r.stdout
    r = kb(tmp_path, "show", "../etc/passwd")
    assert r.returncode == 1 and "no such document" in r.stderr


def one_line_error(capsys, argv, env_tmp, monkeypatch, **env):
    monkeypatch.setenv("KB_DATA_DIR", str(env_tmp / "data"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(env_tmp / "corpus"))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert "Traceback" not in err
    return err


def test_missing_index(tmp_path, capsys, monkeypatch):
    err = one_line_error(capsys, ["ask", "anything?"], tmp_path, monkeypatch)
    assert err.startswith("error: there is no index") and "kb ingest" in err


def test_missing_and_empty_corpus(tmp_path, capsys, monkeypatch):
    err = one_line_error(capsys, ["ingest"], tmp_path, monkeypatch)
    assert "corpus folder" in err and "does not exist" in err
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.md").write_text("")
    err = one_line_error(capsys, ["ingest"], tmp_path, monkeypatch)
    assert "no articles to ingest" in err and "empty.md: is empty" in err


def test_model_mismatch(tmp_path, capsys, monkeypatch):
    copy_corpus(tmp_path / "corpus")
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(tmp_path / "corpus"))
    assert main(["ingest"]) == 0
    other = tmp_path / "other-model"
    other.mkdir()
    err = one_line_error(capsys, ["ask", "x?"], tmp_path, monkeypatch, KB_EMBED_MODEL=str(other))
    assert "built with embedding model 'all-MiniLM-L6-v2'" in err and "kb ingest --rebuild" in err


def test_index_from_an_older_chunker_asks_for_an_ingest(tmp_path, capsys, monkeypatch):
    from kb.index.store import Store
    from kb.settings import Settings

    copy_corpus(tmp_path / "corpus")
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(tmp_path / "corpus"))
    assert main(["ingest"]) == 0
    # as left by an older kb, or by an ingest killed just before it recorded the version
    Store(Settings()).set_info(chunker="2")
    err = one_line_error(capsys, ["ask", "Python for serverless?"], tmp_path, monkeypatch)
    assert "older kb (chunker version 2" in err and "run `kb ingest`" in err
    capsys.readouterr()
    assert main(["sources"]) == 0 and "2 documents" in capsys.readouterr().out  # listing still works
    assert main(["ingest"]) == 0
    capsys.readouterr()
    assert main(["ask", "Python for serverless?"]) == 0 and "cold start" in capsys.readouterr().out


def test_bad_setting_names_the_variable(tmp_path, capsys, monkeypatch):
    err = one_line_error(capsys, ["ask", "x?"], tmp_path, monkeypatch, KB_CHUNK_SIZE="tiny")
    assert "chunk_size" in err


def test_unreachable_chroma_server(tmp_path, capsys, monkeypatch):
    copy_corpus(tmp_path / "corpus")
    err = one_line_error(
        capsys, ["ingest"], tmp_path, monkeypatch, KB_CHROMA_HOST="127.0.0.1", KB_CHROMA_PORT="9"
    )
    assert "Chroma server" in err and "127.0.0.1:9" in err


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    from kb.errors import IndexMissingError

    with pytest.raises(IndexMissingError):
        main(["--debug", "ask", "x?"])


@pytest.mark.parametrize(
    "argv",
    [
        ["--corpus", "C", "--data-dir", "D", "ingest"],
        ["ingest", "--corpus", "C", "--data-dir", "D"],
        ["--corpus", "X", "ingest", "--data-dir", "D", "--corpus", "C"],  # the later one wins
    ],
)
def test_global_options_go_before_or_after_the_subcommand(argv):
    from pathlib import Path

    from kb.cli import build_parser

    args = build_parser().parse_args(argv)
    assert (args.corpus_dir, args.data_dir, args.debug) == (Path("C"), Path("D"), None)


def test_debug_after_the_subcommand_shows_the_traceback_too(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "data"))
    from kb.errors import IndexMissingError

    with pytest.raises(IndexMissingError):
        main(["ask", "x?", "--debug"])


def test_ingest_with_the_corpus_given_after_the_subcommand(tmp_path):
    copy_corpus(tmp_path / "elsewhere")
    r = kb(tmp_path, "ingest", "--corpus", str(tmp_path / "elsewhere"))
    assert r.returncode == 0 and "2 added" in r.stdout, r.stderr
    (tmp_path / "elsewhere" / "print.html").write_text(
        '<html><head><meta name="robots" content="noindex"></head><body><p>Every page.</p></body></html>'
    )
    r = kb(tmp_path, "ingest", "--corpus", str(tmp_path / "elsewhere"))
    assert "left out 1 page that asks not to be indexed" in r.stderr and "print.html" in r.stderr
    assert r.stdout.rstrip().endswith("1 left out as they ask (robots noindex)")


def test_an_unknown_eval_set_names_the_shipped_ones(tmp_path, capsys, monkeypatch):
    err = one_line_error(capsys, ["eval", "nosuchset"], tmp_path, monkeypatch)
    assert "nosuchset does not exist" in err
    shipped = err.split("the shipped sets: ")[1].rstrip(")").split(", ")
    assert shipped == sorted(shipped) and {"golden", "heldout", "rustbook", "rustc"} <= set(shipped)


def test_eval_with_check_writes_its_results_and_passes_on_the_built_in_corpus(tmp_path):
    copy_corpus(tmp_path / "corpus")
    assert kb(tmp_path, "ingest").returncode == 0
    r = kb(tmp_path, "eval", "golden", "--check", "--out", str(tmp_path / "results"))
    assert r.returncode == 0, r.stderr
    assert "63 questions" in r.stdout and "check passed" in r.stdout
    assert json.loads((tmp_path / "results" / "latest.json").read_text())
    assert (tmp_path / "results" / "latest.png").stat().st_size > 1000


def test_terminal_escapes_from_documents_are_shown_not_obeyed(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    evil = "ferry\x1b[2J\x1b]0;owned\x07.txt"  # clears the screen and retitles the terminal
    (corpus / evil).write_text(
        "Ferry Times\x1b[31m\n\nThe island ferry \x1b[2Jleaves at 07:30 every morning.\n"
    )
    assert kb(tmp_path, "ingest").returncode == 0
    for args in (["ask", "When does the island ferry leave?"], ["sources"], ["show", evil]):
        r = kb(tmp_path, *args)
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout + r.stderr and "\x07" not in r.stdout
        assert "ferry␛[2J␛]0;owned␇.txt" in r.stdout or args[0] == "show"
    r = kb(tmp_path, "ask", "When does the island ferry leave?", "--json")
    assert "\x1b" not in r.stdout and json.loads(r.stdout)["citations"][0]["doc_id"] == evil  # exact


def test_a_question_with_bytes_that_are_not_utf8_is_answered(tmp_path):
    copy_corpus(tmp_path / "corpus")
    assert kb(tmp_path, "ingest").returncode == 0
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(tmp_path / "corpus")}
    exe = os.path.join(os.path.dirname(sys.executable), "kb")
    r = subprocess.run(
        [exe, "ask", b"Python for serverless\xff\xfe?"], env=env, capture_output=True, timeout=300
    )
    assert r.returncode == 0, r.stderr
    assert b"cold start" in r.stdout


def test_chat_reads_follow_ups_in_context_and_a_blank_line_starts_over(tmp_path):
    copy_corpus(tmp_path / "corpus")
    assert kb(tmp_path, "ingest").returncode == 0
    exe = os.path.join(os.path.dirname(sys.executable), "kb")
    env = {**os.environ, "KB_DATA_DIR": str(tmp_path / "data"), "KB_CORPUS_DIR": str(tmp_path / "corpus")}
    lines = "How long does a Django MVP take?\nAnd with NestJS?\n\nAnd with NestJS?\n"
    r = subprocess.run([exe, "chat", "--json"], input=lines, cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr
    answers = [json.loads(line) for line in r.stdout.splitlines()]
    assert [a["searched"] for a in answers] == [
        "How long does a Django MVP take?",
        "How long does a NestJS MVP take?",
        "And with NestJS?",  # after the blank line: a new conversation, nothing to carry over
    ]
    assert "8-12 weeks" in answers[1]["answer"]


def test_eval_followup_prints_the_three_ways_and_the_gap(tmp_path):
    copy_corpus(tmp_path / "corpus")
    assert kb(tmp_path, "ingest").returncode == 0
    r = kb(tmp_path, "eval-followup", "seed-dev", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "followup  standalone  alone" in r.stdout and "follow-up vs standalone: hit@3" in r.stdout
    assert json.loads((tmp_path / "out" / "followup-seed-dev.json").read_text())[0]["config"] == "followup"


def test_collection_option_picks_a_registered_collection(tmp_path):
    from kb.collections import add
    from tests.conftest import make_settings

    (tmp_path / "go").mkdir()
    (tmp_path / "go" / "go.md").write_text("# Go\n\nGo compiles to one static binary.\n")
    add(make_settings(tmp_path), "go", tmp_path / "go")
    copy_corpus(tmp_path / "corpus")
    assert "1 added" in kb(tmp_path, "--collection", "go", "ingest").stdout
    r = kb(tmp_path, "sources", "--collection", "go")
    assert "go.md" in r.stdout and DOC_A not in r.stdout
    r = kb(tmp_path, "--collection", "nope", "sources")
    assert r.returncode == 1 and "no collection 'nope' (known: kb, go)" in r.stderr
