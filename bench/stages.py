"""CPU milliseconds per article of each extraction stage, serial, in this interpreter.

    python bench/stages.py [--corpus DIR] [--articles N]

Runs the stages of :func:`frontmap.pipeline.process_article` and
:func:`frontmap.stream.digest_article` one after the other on every article, timing each call
with ``time.process_time`` (CPU seconds: what a shared machine distorts least). Without
``--corpus`` it reads the corpus ``run.py -n 3000`` generates (``$FRONTMAP_BENCH_DIR``, default
``/tmp/frontmap-bench``). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from frontmap.config import Config
from frontmap.extract.claims import extract_claims
from frontmap.extract.places import find_mentions, resolve_mentions
from frontmap.extract.refine import refine_mentions
from frontmap.extract.sentences import split_sentences
from frontmap.gazetteer import Gazetteer
from frontmap.ingest import read_folder
from frontmap.pipeline import ArticleResult
from frontmap.records import Article
from frontmap.stream import digest_article

BENCH_DIR = Path(os.environ.get("FRONTMAP_BENCH_DIR", "/tmp/frontmap-bench"))
STAGES = ("ingest", "sentences", "find_mentions", "resolve_mentions", "refine_mentions", "extract_claims",
          "digest_article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=BENCH_DIR / "corpus-3000-s1")
    parser.add_argument("--articles", "-n", type=int, default=0, help="only the first N articles (0: all)")
    args = parser.parse_args()
    config = Config()
    gazetteer = Gazetteer.load(config.gazetteer_paths)
    seconds = dict.fromkeys(STAGES, 0.0)
    articles: list[Article] = []
    t0 = time.process_time()
    for item in read_folder(args.corpus, config=config):
        articles.extend(item.articles)
        if args.articles and len(articles) >= args.articles:
            break
    seconds["ingest"] = time.process_time() - t0
    articles = articles[: args.articles or None]
    clock = time.process_time
    for article in articles:
        t0 = clock()
        sentences = split_sentences(article.text)
        t1 = clock()
        found = find_mentions(article, sentences, gazetteer)
        t2 = clock()
        resolved = resolve_mentions(article, found)
        t3 = clock()
        mentions = refine_mentions(article, resolved)
        t4 = clock()
        claims = extract_claims(article, sentences, mentions)
        t5 = clock()
        digest_article(ArticleResult(article, tuple(mentions), tuple(claims)))
        t6 = clock()
        for stage, spent in zip(STAGES[1:], (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True):
            seconds[stage] += spent
    n = max(1, len(articles))
    per_article = {stage: round(spent / n * 1000, 2) for stage, spent in seconds.items()}
    print(json.dumps({"articles": len(articles), "cpu_ms_per_article": per_article,
                      "total_ms": round(sum(seconds.values()) / n * 1000, 2)}, indent=2))


if __name__ == "__main__":
    main()
