"""scripts/group_list_claims.py: the per-place claims of one listed event fold into one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "group_list_claims.py"


def feature(place: str, action: str, quote: str = "Troops retook A, B and C.") -> dict[str, object]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.0, 48.0]},
            "properties": {"article": "a.txt", "quote": quote, "action": action, "claimant": "Ukraine",
                           "actor": "Ukraine", "denied": False, "place": place}}


def test_a_listed_event_becomes_one_claim(tmp_path: Path) -> None:
    out, grouped = tmp_path / "out", tmp_path / "grouped"
    out.mkdir()
    features = [feature("A", "capture"), feature("B", "capture"), feature("C", "capture"),
                feature("A", "strike"), feature("D", "capture", quote="Troops retook D.")]
    (out / "claims.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    (out / "places.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    subprocess.run([sys.executable, str(SCRIPT), str(out), str(grouped)], check=True, capture_output=True)
    result = json.loads((grouped / "claims.geojson").read_text())["features"]
    assert [(f["properties"]["place"], f["properties"]["action"], f["properties"]["listed_places"])
            for f in result] == [("A", "capture", ["A", "B", "C"]), ("A", "strike", ["A"]),
                                 ("D", "capture", ["D"])]
    assert (grouped / "places.geojson").exists()
