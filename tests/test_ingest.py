"""Ingest: formats, metadata, encodings, and every file accounted for."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path

import pytest

from frontmap.config import Config
from frontmap.ingest import decode, parse_html, parse_text, read_folder

BODY = "Ukrainian forces advanced near Robotyne on Tuesday, the General Staff said.\n\nSecond paragraph here."


def outcomes(root: Path, **kw: object) -> dict[str, tuple[str, str | None, int]]:
    config = Config(**kw)  # type: ignore[arg-type]
    return {r.outcome.path: (r.outcome.status, r.outcome.reason, len(r.articles))
            for r in read_folder(root, config=config)}


def test_header_lines() -> None:
    header = "title: A day on the southern front\ndate: 2023-08-22\nsource: Test Wire\nurl: https://example.org/a\n\n"
    text = header + BODY
    article = parse_text(text, "a.txt")
    assert article.title == "A day on the southern front"
    assert article.published == dt.date(2023, 8, 22)
    assert article.source == "Test Wire"
    assert article.url == "https://example.org/a"
    assert article.text.startswith("Ukrainian forces")


def test_front_matter_markdown() -> None:
    text = "---\ntitle: \"Quoted title\"\ndate: 2024-02-03\nsource: Desk\n---\n# Heading\n\n" + BODY
    article = parse_text(text, "a.md", markdown=True)
    assert article.title == "Quoted title"
    assert article.published == dt.date(2024, 2, 3)
    assert "Heading" not in article.text


def test_dateline_gives_the_date_when_no_header() -> None:
    article = parse_text("KYIV, July 7, 2023 (Test Wire) - Ukraine said its troops advanced.", "d.txt")
    assert article.published == dt.date(2023, 7, 7)


def test_no_date_stays_undated() -> None:
    article = parse_text("Ukraine said its troops advanced near Bakhmut.", "n.txt")
    assert article.published is None


def test_html_meta_and_main_text() -> None:
    page = """<html><head><title>Fallback</title>
    <meta property="og:title" content="Og title">
    <meta property="article:published_time" content="2023-09-14T08:00:00Z">
    <meta property="og:site_name" content="Test Site"><meta property="og:url" content="https://example.org/x">
    </head><body><nav>Home | World | Sport</nav>
    <article><p>Ukrainian forces advanced near Klishchiivka, south of Bakhmut, the army said on Thursday.</p>
    <p>Russia's defence ministry said its forces repelled an attack near Andriivka in the same area.</p></article>
    <footer>Copyright notice and links to everything</footer><script>alert(1)</script></body></html>"""
    article = parse_html(page, "p.html")
    assert article.title == "Og title"
    assert article.published == dt.date(2023, 9, 14)
    assert article.source == "Test Site"
    assert article.url == "https://example.org/x"
    assert "Klishchiivka" in article.text and "Andriivka" in article.text
    assert "Home | World" not in article.text and "alert" not in article.text and "Copyright" not in article.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-u"])
def test_encodings_detected(encoding: str) -> None:
    text = ("Українські сили просунулися біля Бахмута, повідомив Генштаб у п'ятницю. " * 6
            + "Російські війська атакували Кліщіївку.")
    decoded, name = decode(text.encode(encoding))
    assert decoded.strip().lstrip("\ufeff") == text
    assert name


def test_every_file_accounted_for(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("date: 2023-07-07\n\n" + BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "fake.txt").write_bytes(b"%PDF-1.4\x00\x01\x02 not text")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "many.jsonl").write_text(
        "\n".join(json.dumps({"title": f"t{i}", "date": f"2023-07-0{i + 1}", "text": BODY}) for i in range(3))
        + "\n{broken\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("x" * 5000, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("a.txt", "date: 2023-07-08\n\n" + BODY)
        archive.writestr("b.pdf", "%PDF")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    result = outcomes(tmp_path, max_file_bytes=4000)
    assert result["good.txt"] == ("read", None, 1)
    assert result["empty.txt"][0:2] == ("skipped", "empty file")
    assert result["doc.pdf"][0] == "skipped" and "not an article format" in (result["doc.pdf"][1] or "")
    assert result["fake.txt"][0] == "skipped" and "PDF" in (result["fake.txt"][1] or "")
    assert result["bad.json"][0] == "failed" and "invalid JSON" in (result["bad.json"][1] or "")
    assert result["many.jsonl"] == ("read", None, 3)
    assert result["big.txt"][0] == "skipped" and "size limit" in (result["big.txt"][1] or "")
    assert result[".hidden.txt"][0] == "skipped"
    assert result["sub/inner.md"][0] == "read"
    assert result["dangling.txt"][0:2] == ("skipped", "broken symlink")
    assert result["sub/loop"][0] == "skipped" and "loop" in (result["sub/loop"][1] or "")
    assert result["bundle.zip"][0] == "read" and result["bundle.zip"][2] == 1
    assert result["broken.zip"][0] == "failed"


def test_unreadable_file_fails_with_reason(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "locked.txt"
    path.write_text(BODY, encoding="utf-8")
    path.chmod(0)
    assert outcomes(tmp_path)["locked.txt"][0] == "failed"
