"""Fold the per-place claims of one listed event back into one claim, for comparing with an
annotation that records a list ("recaptured A, B and C") as a single claim.

frontmap writes one claim per place, as the product asks: each place is a point on the map and a
row in a GIS table. ``../shared/tools/score.py`` matches one predicted claim per gold claim, so
the extra places of a list count as false positives there. This script makes the other
convention measurable without changing the product:

    frontmap map ../shared/corpus/dev/articles -o output/dev
    python scripts/group_list_claims.py output/dev output/dev-grouped
    python ../shared/tools/score.py --gold ../shared/corpus/dev --out output/dev-grouped

Claims are grouped by (article, sentence, action, claimant, actor, denied); the first in reading
order stands for the group and gains a ``listed_places`` property naming all of them.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any


def group(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One feature per (article, sentence, action, claimant, actor, denied), in input order."""
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for feature in features:
        props = feature.get("properties") or {}
        key = tuple(props.get(k) for k in ("article", "quote", "action", "claimant", "actor", "denied"))
        first = kept.get(key)
        if first is None:
            feature = {**feature, "properties": {**props, "listed_places": [props.get("place")]}}
            kept[key] = feature
        else:
            first["properties"]["listed_places"].append(props.get("place"))
    return list(kept.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a frontmap output folder")
    parser.add_argument("grouped", type=Path, help="where to write the grouped copy")
    args = parser.parse_args()
    args.grouped.mkdir(parents=True, exist_ok=True)
    collection = json.loads((args.out / "claims.geojson").read_text(encoding="utf-8"))
    before = len(collection["features"])
    collection["features"] = group(collection["features"])
    (args.grouped / "claims.geojson").write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    for name in ("places.geojson", "areas.geojson", "report.json"):
        if (args.out / name).exists():
            shutil.copyfile(args.out / name, args.grouped / name)
    print(f"{before} claims -> {len(collection['features'])} grouped claims in {args.grouped}")


if __name__ == "__main__":
    main()
