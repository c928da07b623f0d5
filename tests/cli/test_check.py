"""`rapport check` in its three output modes, with its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from rapport.cli import main

GOOD = (
    "Hi Ruth, I'm a final-year economics student at Leeds and I enjoyed your article on "
    "supplier audits. Would you have 20 minutes for a call, whenever suits you? I'd love to "
    "hear how you moved into ESG. Thank you, Maya"
)
JOB_ASK = "Hi Ruth, are you hiring? I have attached my CV. Thanks, Maya"


def run(*args: str, stdin: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args], input=stdin)
    return result.exit_code, result.output


def test_a_clean_request_exits_zero_and_says_ready() -> None:
    code, output = run("--kind", "request", "-", stdin=GOOD)
    assert code == 0
    assert "Ready to send" in output


def test_an_error_exits_one_and_explains_it(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(JOB_ASK, encoding="utf-8")
    code, output = run("--kind", "request", str(draft))
    assert code == 1
    assert "request.no-job-ask" in output
    assert "Why:" in output
    assert "ERRORS" in output


def test_json_output_has_the_review_shape() -> None:
    code, output = run("--kind", "request", "--format", "json", "-", stdin=JOB_ASK)
    assert code == 1
    data = json.loads(output)
    assert data["score"] < 50
    finding = next(f for f in data["findings"] if f["rule"] == "request.no-job-ask")
    assert JOB_ASK[finding["start"] : finding["end"]] == "are you hiring?"
    assert data["stats"]["words"] == len(JOB_ASK.split())


def test_jsonl_keeps_ids_and_order_and_honours_the_channel() -> None:
    long_note = "Hi Sam, " + "I'd love to learn about your work in policy. " * 9
    lines = [
        {"id": "a", "text": GOOD},
        {"id": 7, "text": long_note, "channel": "linkedin"},
        {"id": "c", "text": JOB_ASK},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    code, output = run("--kind", "request", "--jsonl", "-", stdin=stdin)
    rows = [json.loads(line) for line in output.splitlines()]
    assert [row["id"] for row in rows] == ["a", 7, "c"]
    assert rows[0]["findings"] == []
    assert any(f["rule"] == "request.channel-limit" for f in rows[1]["findings"])
    assert {"words", "chars"} <= set(rows[2]["stats"])
    assert code == 1


def test_jsonl_with_no_errors_exits_zero() -> None:
    code, _ = run("--kind", "request", "--jsonl", "-", stdin=json.dumps({"id": 1, "text": GOOD}))
    assert code == 0


def test_bad_jsonl_names_the_line_and_prints_nothing_else() -> None:
    stdin = json.dumps({"id": 1, "text": GOOD}) + "\n{not json}\n"
    code, output = run("--kind", "request", "--jsonl", "-", stdin=stdin)
    assert code == 2
    assert "line 2" in output
    assert '"id"' not in output


def test_a_wrong_field_type_is_bad_input() -> None:
    code, output = run("--kind", "thanks", "--jsonl", "-", stdin='{"id": 1, "text": 5}')
    assert code == 2
    assert "'text' must be a string" in output


def test_an_unknown_kind_is_a_usage_error() -> None:
    code, output = run("--kind", "poem", "-", stdin="hello")
    assert code == 2
    assert "poem" in output


def test_a_file_that_is_not_utf8_is_bad_input(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"Hi \xff\xfe there")
    code, output = run("--kind", "request", str(draft))
    assert code == 2
    assert "not UTF-8" in output


def test_check_runs_without_a_database_or_django(tmp_path: Path) -> None:
    """The command must start fast and work where no database exists."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from rapport.cli import main; sys.argv=['rapport','check','--kind',"
                "'question','-']; main()"
            ),
        ],
        input="What does your company do?",
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "RAPPORT_DATA_DIR": str(tmp_path / "none")},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "question.googleable" in result.stdout
    assert not (tmp_path / "none").exists()
