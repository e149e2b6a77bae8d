"""Figures on the real dev corpus (../shared/corpus/dev), against floors written in the repo.

Marked `corpus`: run by .ci/run, skipped on a machine without ../shared. The floors only rise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontmap.cli import main

FLOORS = json.loads((Path(__file__).parent / "corpus_floors.json").read_text(encoding="utf-8"))


@pytest.mark.corpus
def test_dev_corpus_figures_hold_their_floors(shared_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dev"
    result = CliRunner().invoke(main, ["map", str(shared_corpus / "dev" / "articles"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    scorer = shared_corpus.parent / "tools" / "score.py"
    proc = subprocess.run([sys.executable, str(scorer), "--gold", str(shared_corpus / "dev"), "--out", str(out),
                           "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(proc.stdout)
    print(json.dumps(figures, indent=1, sort_keys=True))
    low = []
    for section, floors in FLOORS.items():
        if section.startswith("_"):
            continue
        for key, floor in floors.items():
            value = figures[section][key]
            if value is None or value < floor:
                low.append(f"{section}.{key} = {value} < floor {floor}")
    assert not low, "; ".join(low)
