from __future__ import annotations

import re
from pathlib import Path

from rapport.playbook.stages import END_STAGES, PIPELINE, Stage

PLAYBOOK = Path(__file__).resolve().parents[3] / "shared" / "PLAYBOOK.md"


def test_the_pipeline_matches_the_playbook() -> None:
    text = PLAYBOOK.read_text(encoding="utf-8")
    path_line = re.search(r"`(identified -> .*?)`", text)
    assert path_line, "PLAYBOOK.md no longer states the pipeline"
    assert [s.value for s in PIPELINE] == path_line.group(1).split(" -> ")
    ends = re.search(r"plus `(.*?)`/`(.*?)`/`(.*?)` as ends", text)
    assert ends
    assert {s.value for s in END_STAGES} == set(ends.groups())


def test_every_stage_has_a_label_and_is_on_the_path_or_an_end() -> None:
    for stage in Stage:
        assert stage.label
        assert (stage in PIPELINE) != stage.is_end
