"""Ingest: formats, metadata, encodings, and every file accounted for.

The Ukrainian and Russian sentences here are the team's own; no text of the corpus is copied.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import subprocess
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from frontmap.config import Config
from frontmap.errors import ConfigError
from frontmap.ingest import (
    JSON_FIELDS,
    IngestResult,
    NotTextError,
    clean_text,
    decode,
    display_name,
    json_field_names,
    parse_html,
    parse_json,
    parse_json_field_options,
    parse_jsonl,
    parse_text,
    read_bytes,
    read_folder,
    unique_paths,
)

BODY = "Ukrainian forces advanced near Robotyne on Tuesday, the General Staff said.\n\nSecond paragraph here."


def outcomes(root: Path, **kw: object) -> dict[str, tuple[str, str | None, int]]:
    config = Config(**kw)  # type: ignore[arg-type]
    return {r.outcome.path: (r.outcome.status, r.outcome.reason, len(r.articles))
            for r in read_folder(root, config=config)}


def results(root: Path, **kw: object) -> dict[str, IngestResult]:
    config = Config(**kw)  # type: ignore[arg-type]
    return {r.outcome.path: r for r in read_folder(root, config=config)}


# --------------------------------------------------------------------------------------------
# Text and Markdown


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


def test_file_name_and_file_time_never_date_an_article(tmp_path: Path) -> None:
    body = "Ukraine said its troops advanced near Bakhmut."
    (tmp_path / "2023-07-07.txt").write_text(body, encoding="utf-8")
    (tmp_path / "2023-07-07_page.html").write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
    (tmp_path / "20230707.json").write_text(json.dumps({"text": body}), encoding="utf-8")
    when = dt.datetime(2023, 7, 7, 12, tzinfo=dt.UTC).timestamp()
    for path in tmp_path.iterdir():
        os.utime(path, (when, when))
    found = results(tmp_path)
    assert len(found) == 3
    for result in found.values():
        assert result.outcome.status == "read"
        assert [a.published for a in result.articles] == [None]


def test_control_characters_and_lone_surrogates_are_cleaned() -> None:
    assert clean_text("a\x00b\x07c\x1b[31m\tok\nline\x0cpage\ud800x\x85") == "abc[31m\tok\nline\npage\ufffdx"
    result = read_bytes(json.dumps({"text": "Bakhmut \ud800 held.\u0000", "title": "bell\u0007"}).encode(),
                        "s.json", config=Config())
    (article,) = result.articles
    assert article.text == "Bakhmut \ufffd held." and article.title == "bell"
    article.text.encode("utf-8")  # writable as UTF-8: a lone surrogate would raise here


def test_undecodable_file_names_are_shown_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.txt"
    with open(raw, "wb") as handle:  # noqa: PTH123  (a bytes path: pathlib cannot name it)
        handle.write(b"date: 2023-07-07\n\n" + BODY.encode())
    (path,) = results(tmp_path)
    assert path == "caf\\xe9 \\xff.txt"
    assert display_name(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert display_name("plain.txt") == "plain.txt"
    path.encode("utf-8")


# --------------------------------------------------------------------------------------------
# HTML


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


ASSESSMENT_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Front Assessment, March 3 | Test Institute</title>
<meta property="og:title" content="Test Institute">
<meta property="og:site_name" content="Test Institute">
<meta property="og:url" content="http://dev.example.org/">
<link rel="canonical" href="/backgrounder/front-assessment-march-3">
</head><body>
<div id="header"><ul class="menu"><li><a href="/">Home</a></li><li><a href="/research">Research</a></li>
<li><a href="/about">About us</a></li><li><a href="/donate">Donate</a></li></ul></div>
<div class="sidebar"><h2>Popular</h2><ul><li><a href="/a">Another report about something</a></li></ul></div>
<div id="content"><h1 class="page-title">Front Assessment, March 3</h1>
<span property="dc:title" content="Front Assessment, March 3" class="rdf-meta element-hidden"></span>
<span class="submitted"><span property="dc:date dc:created" content="2023-03-03T21:40:00-05:00"
 datatype="xsd:dateTime">Mar 3, 2023</span></span>
<div class="field-item">
<p>Russian forces continued ground attacks northwest of Avdiivka on March 3 and made marginal gains \
near Krasnohorivka, according to geolocated footage.[1] The Ukrainian General Staff reported that \
Ukrainian forces repelled eleven Russian attacks in the area over the past day.[2]</p>
<p>Ukrainian forces conducted a limited counterattack near Bakhmut and advanced up to 500 metres \
southwest of the city, according to a Ukrainian military spokesperson.[3] Russian milbloggers \
denied that Ukrainian forces had advanced and claimed that Russian forces held their positions.[4]</p>
<p>Russian forces struck Kharkiv City with drones overnight, damaging energy infrastructure, local \
officials said.[5]</p>
<p>[1] https://t.me/example_channel/101</p>
<p>[2] https://www.facebook.com/example/posts/202</p>
<p>[3] https://example.org/spokesperson/303 ; https://example.org/other/304</p>
<p>[4] https://t.me/example_blogger/405</p>
<p>[5] https://t.me/example_city/506</p>
</div></div>
<div id="footer"><p>Copyright 2023 Test Institute. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact</a></p></div>
</body></html>
"""


def test_html_assessment_page_main_text_title_and_rdfa_date() -> None:
    """An assessment page shaped like the real ones: the site's name in og:title, a root og:url
    of another host, the date only in an RDFa attribute, a closing list of endnotes."""
    article = parse_html(ASSESSMENT_PAGE, "page.html")
    assert article.title == "Front Assessment, March 3"  # not og:title, which is the site's name
    assert article.published == dt.date(2023, 3, 3)  # as the page dates it, not converted to UTC
    assert article.source == "Test Institute"
    assert article.url is None  # a site root is no article's URL; a relative canonical has no host
    paragraphs = article.text.split("\n\n")
    assert any(p.startswith("Russian forces continued ground attacks northwest of Avdiivka") for p in paragraphs[:3])
    assert paragraphs[-1].startswith("Russian forces struck Kharkiv City")
    assert "according to geolocated footage.[1]" in article.text  # footnote markers kept
    assert not any(p.startswith("[") for p in paragraphs)  # the endnotes are gone
    for boilerplate in ("Donate", "Popular", "Another report", "Copyright", "Privacy"):
        assert boilerplate not in article.text
    assert article.text.count("Front Assessment, March 3") == 0  # the title is not body text


def test_html_fragment_falls_back_to_the_standard_library_extractor() -> None:
    fragment = ("<p>Russian forces attacked Kherson &lt;script&gt;alert(1)&lt;/script&gt; on Tuesday,"
                " officials said.</p>")
    article = parse_html(fragment, "f.html")
    assert article.text == "Russian forces attacked Kherson <script>alert(1)</script> on Tuesday, officials said."


def test_html_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura and htmldate fetch a page when handed a URL; ingest must never let them."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for markup in ("https://example.org/2023/07/07/story", "http://example.org/x", ASSESSMENT_PAGE,
                   '<html><head><link rel="canonical" href="https://example.org/a"></head><body>'
                   "<p>Kherson was shelled again overnight, officials said on Friday morning.</p></body></html>"):
        parse_html(markup, "n.html")
    assert attempts == []


def test_html_declared_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    text = "Сили оборони відбили атаку біля Херсона."
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{text}</p></body></html>'
    result = read_bytes(page.encode("cp1251"), "p.html", config=Config())
    assert result.outcome.encoding == "cp1251"
    assert result.articles[0].text == text


@pytest.mark.parametrize(("encoding", "declared"), [("koi8-u", "windows-1251"), ("cp1251", "koi8-r")])
def test_html_wrongly_declared_cyrillic_charset_is_overruled(encoding: str, declared: str) -> None:
    """A KOI8 page labelled windows-1251 decodes without an error, into nonsense."""
    text = "Сили оборони відбили атаку біля Херсона. Ворог обстріляв Лиман з артилерії."
    page = f'<html><head><meta charset="{declared}"></head><body><p>{text}</p></body></html>'
    result = read_bytes(page.encode(encoding), "p.html", config=Config())
    assert result.outcome.encoding == encoding
    assert "reads as" in (result.outcome.reason or "")
    assert result.articles[0].text == text


def test_html_declared_utf7_is_refused() -> None:
    page = b"<html><head><meta charset=utf-7></head><body><p>+ADw-script+AD4-alert(1) caf\xe9</p></body></html>"
    result = read_bytes(page, "p.html", config=Config())
    assert result.outcome.encoding != "utf-7"
    assert all("<script>" not in a.text for a in result.articles)


@pytest.mark.corpus
def test_isw_pages_give_title_date_and_body(shared_corpus: Path) -> None:
    """The 330 saved ISW pages: every one dated from its own metadata, titled, with its prose."""
    pages = sorted((shared_corpus / "isw-html").glob("*.html"))
    assert len(pages) == 330
    config = Config()
    dated = titled = long = 0
    for page in pages:
        (article,) = read_folder(page, config=config).__next__().articles
        dated += article.published is not None
        titled += bool(article.title) and article.title != "Institute for the Study of War"
        long += len(article.text) > 2000
        assert "\n[1] http" not in article.text
    assert (dated, titled, long) == (330, 330, 330)


# --------------------------------------------------------------------------------------------
# Encodings

UK = "Українські сили просунулися біля Бахмута, повідомив Генштаб у п'ятницю. Ворог атакував Кліщіївку."
RU = "Российские войска атаковали позиции под Авдеевкой, заявили в штабе. Атака была отбита."
UK_SHORT = ("Ворог обстріляв Херсон.", "Їхні позиції знищено.", "ЗСУ: ворог атакував.", "Євген сказав: так.",
            "Ґрунт розмило.")
RU_SHORT = ("Путин", "Атака отбита.", "Это короткий текст.", "Минобороны заявило об успехах.",
            "ОБЪЯВЛЕНА ЭВАКУАЦИЯ.")


@pytest.mark.parametrize(("encoding", "text", "reported"), [
    ("utf-8", UK, {"utf-8"}),
    ("utf-8-sig", UK, {"utf-8-sig"}),
    ("utf-16", UK, {"utf-16"}),  # with BOM
    ("utf-16-le", UK, {"utf-16-le"}),
    ("utf-16-be", UK, {"utf-16-be"}),
    ("utf-16-le", RU, {"utf-16-le"}),
    ("cp1251", UK, {"cp1251"}),
    ("cp1251", RU, {"cp1251"}),
    ("koi8-u", UK, {"koi8-u"}),
    ("koi8-u", RU, {"koi8-r", "koi8-u"}),  # they agree on every Russian letter
    ("koi8-r", RU, {"koi8-r", "koi8-u"}),
    ("latin-1", "Le porte-parole a déclaré à Kherson que l'armée avançait près du fleuve.", {"latin-1", "cp1252"}),
    ("cp1252", "Die Truppen rückten vor – sagte der Sprecher „heute“ in Saporischschja.", {"cp1252"}),
])
def test_encodings_detected(encoding: str, text: str, reported: set[str]) -> None:
    data = text.encode(encoding)
    decoded, name = decode(data)
    assert decoded.lstrip("\ufeff") == text
    assert name in reported


@pytest.mark.parametrize("text", UK_SHORT + RU_SHORT)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8-u", "utf-16-le", "utf-16-be"])
def test_short_cyrillic_texts_are_told_apart(text: str, encoding: str) -> None:
    """charset-normalizer reads short KOI8 as Shift-JIS and short cp1251 as Mac Cyrillic; the
    letter-frequency check must not."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} has no letter for part of {text!r}")
    decoded, name = decode(data)
    assert decoded == text, name
    if encoding == "cp1251":
        assert name == "cp1251"
    elif encoding == "koi8-u":
        assert name in {"koi8-u", "koi8-r"}


def test_encoding_is_recorded_per_file(tmp_path: Path) -> None:
    (tmp_path / "uk.txt").write_bytes(("date: 2023-07-07\n\n" + UK).encode("cp1251"))
    (tmp_path / "ru.txt").write_bytes(("date: 2023-07-07\n\n" + RU).encode("koi8-r"))
    (tmp_path / "w.txt").write_bytes(b"\xff\xfe" + ("date: 2023-07-07\n\n" + BODY).encode("utf-16-le"))
    (tmp_path / "b.txt").write_bytes(("date: 2023-07-07\n\n" + BODY).encode("utf-8-sig"))
    found = results(tmp_path)
    assert {p: r.outcome.encoding for p, r in found.items()} == {
        "b.txt": "utf-8-sig", "ru.txt": "koi8-r", "uk.txt": "cp1251", "w.txt": "utf-16"}
    assert found["uk.txt"].articles[0].text == UK
    assert found["uk.txt"].articles[0].encoding == "cp1251"


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    text = "Сили оборони відбили атаку — «успішно». " * 5
    data = text.encode() + b"\xff" + text.encode() + "й".encode()[:1]
    decoded, name = decode(data)
    assert name == "utf-8"
    assert decoded.count("\ufffd") == 2 and decoded.startswith(text)


def test_binaries_and_noise_are_not_text() -> None:
    for data in (bytes(range(1, 32)) * 20, b"\x00\x01\x02" * 100, bytes((i * 37) % 256 for i in range(2000))):
        with pytest.raises(NotTextError):
            decode(data)


# --------------------------------------------------------------------------------------------
# JSON


def test_json_common_names_and_nested_source() -> None:
    data = {"source": {"id": None, "name": "Test Agency"}, "headline": "H", "publishedAt": "2023-10-05T08:00:00Z",
            "content": "Russian troops attacked near Synkivka.", "link": "https://example.org/s"}
    (article,) = parse_json(json.dumps(data), "a.json")
    assert (article.source, article.title, article.url) == ("Test Agency", "H", "https://example.org/s")
    assert article.published == dt.date(2023, 10, 5)


def test_json_field_names_are_configurable() -> None:
    data = {"story": "Russian troops attacked near Synkivka.", "meta": {"when": "2023-10-05"},
            "text": "", "kicker": "A title"}
    fields = {"text": ["story"], "date": ["meta.when"], "title": ["kicker"]}
    (article,) = parse_json(json.dumps(data), "a.json", json_fields=fields)
    assert article.text == "Russian troops attacked near Synkivka."
    assert article.published == dt.date(2023, 10, 5) and article.title == "A title"
    with pytest.raises(Exception, match="no object with article text"):
        parse_json(json.dumps(data), "a.json")  # the defaults do not know "story"
    # Configured names come first; the common ones still work for other exports in the folder.
    merged = json_field_names([("text", "story")])
    assert merged["text"][0] == "story" and set(JSON_FIELDS["text"]) < set(merged["text"])


def test_json_fields_through_read_folder_and_config(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"story": BODY, "day": "2023-07-07"}) + "\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": BODY}), encoding="utf-8")
    found = {r.outcome.path: r for r in read_folder(tmp_path, config=Config(),
                                                    json_fields={"text": ["story"], "date": ["day"]})}
    assert [a.published for a in found["a.jsonl"].articles] == [dt.date(2023, 7, 7)]
    assert found["b.json"].outcome.status == "read"

    @dataclass(frozen=True)
    class WithFields(Config):  # what Config looks like once it carries --json-field
        json_fields: tuple[tuple[str, str], ...] = ()

    config = WithFields(json_fields=(("text", "story"),))
    assert [r.outcome.status for r in read_folder(tmp_path, config=config)] == ["read", "read"]
    assert read_bytes(json.dumps({"story": BODY}).encode(), "c.json", config=config).outcome.status == "read"


def test_json_field_options_for_the_cli() -> None:
    assert parse_json_field_options(["text=story", " date = meta.when "]) == (("text", "story"), ("date", "meta.when"))
    for bad in (["text"], ["=story"], ["text="], ["colour=red"]):
        with pytest.raises(ConfigError) as info:
            parse_json_field_options(bad)
        assert "\n" not in str(info.value)


def test_json_wrong_types_and_odd_values() -> None:
    cases: list[tuple[object, str | None, dt.date | None]] = [
        ({"text": 123}, None, None),
        ({"text": True}, None, None),
        ({"text": ["one", 2, None, "two"]}, "one\n\ntwo", None),
        ({"content": {"rendered": "<p>Rendered body.</p>"}}, "Rendered body.", None),
        ({"text": "x", "date": 1_688_731_200}, "x", dt.date(2023, 7, 7)),  # Unix seconds, UTC
        ({"text": "x", "publishedAt": 1_688_731_200_000}, "x", dt.date(2023, 7, 7)),  # milliseconds
        ({"text": "x", "date": True}, "x", None),
        ({"text": "x", "date": 1e308}, "x", None),
        ({"text": "x", "date": "2023-02-30"}, "x", None),
        ({"text": "x", "title": {"a": [1]}}, "x", None),
    ]
    for obj, text, published in cases:
        try:
            articles = parse_json(json.dumps(obj), "t.json")
        except Exception as exc:
            assert text is None, (obj, exc)
            continue
        assert [(a.text, a.published) for a in articles] == [(text, published)], obj


@pytest.mark.parametrize("data", [
    b"[" * 200_000 + b"]" * 200_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'{"text": 1' + b"0" * 5000 + b"}",
    b'{"text": NaN}',
    b"{'text': 'single quotes'}",
])
def test_malformed_json_fails_the_file_with_a_reason(data: bytes) -> None:
    result = read_bytes(data, "bad.json", config=Config())
    assert result.outcome.status == "failed"
    assert result.outcome.reason and "\n" not in result.outcome.reason


def test_jsonl_bad_lines_are_counted_in_the_report() -> None:
    lines = [json.dumps({"text": BODY, "date": "2023-07-07"}), "{broken", "[" * 50_000, "", json.dumps({"text": BODY})]
    result = read_bytes("\n".join(lines).encode(), "f.jsonl", config=Config())
    assert result.outcome.status == "read" and result.outcome.articles == 2
    assert result.outcome.reason == "2 line(s) not valid JSON, skipped"
    assert [a.path for a in result.articles] == ["f.jsonl#1", "f.jsonl#5"]
    assert parse_jsonl("\n".join(lines), "f.jsonl")[0].published == dt.date(2023, 7, 7)


# --------------------------------------------------------------------------------------------
# Zip archives


def zip_bytes(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_members_are_each_accounted_for() -> None:
    data = zip_bytes([("a.txt", b"date: 2023-07-08\n\n" + BODY.encode()), ("b.pdf", b"%PDF"),
                      (".hidden.txt", BODY.encode()), ("bad.json", b"{oops"), ("../../up.txt", BODY.encode())])
    result = read_bytes(data, "bundle.zip", config=Config())
    assert result.outcome.status == "failed"  # one member failed; the others are still read
    assert sorted(a.path for a in result.articles) == ["bundle.zip/a.txt", "bundle.zip/up.txt"]
    reason = result.outcome.reason or ""
    for expected in ("b.pdf: skipped (not an article format)", ".hidden.txt: skipped (hidden)",
                     "bad.json: failed (invalid JSON"):
        assert expected in reason


def test_zip_member_that_lies_about_its_size_is_not_inflated() -> None:
    data = bytearray(zip_bytes([("bomb.txt", b" " * 3_000_000)]))
    # Declare 500 bytes in both headers: zipfile stops there, and the CRC then fails.
    data[data.find(b"PK\x03\x04") + 22 : data.find(b"PK\x03\x04") + 26] = (500).to_bytes(4, "little")
    data[data.find(b"PK\x01\x02") + 24 : data.find(b"PK\x01\x02") + 28] = (500).to_bytes(4, "little")
    result = read_bytes(bytes(data), "bomb.zip", config=Config(max_file_bytes=1000))
    assert result.outcome.status == "failed" and "CRC" in (result.outcome.reason or "")


def test_zip_members_together_are_held_to_a_budget() -> None:
    data = zip_bytes([(f"p{k:02d}.txt", b"date: 2023-07-07\n\n" + b"Bakhmut was shelled. " * 45_000)
                      for k in range(8)])
    assert len(data) < 100_000  # small on disk, 7.5 MB inflated
    result = read_bytes(data, "many.zip", config=Config(max_file_bytes=1_000_000))
    assert result.outcome.articles == 4  # four members fill the 4x budget
    assert (result.outcome.reason or "").count("decompresses past 4x the size limit") == 4


def test_zip_with_bzip2_member_is_skipped_not_inflated() -> None:
    result = read_bytes(zip_bytes([("a.txt", BODY.encode())], zipfile.ZIP_BZIP2), "b.zip", config=Config())
    assert result.outcome.status == "skipped" and "compression method 12" in (result.outcome.reason or "")


def test_zip_duplicate_member_names_get_distinct_paths() -> None:
    with pytest.warns(UserWarning):
        data = zip_bytes([("dup.txt", BODY.encode()), ("dup.txt", BODY.encode())])
    result = read_bytes(data, "d.zip", config=Config())
    assert [a.path for a in result.articles] == ["d.zip/dup.txt", "d.zip/dup.txt~2"]


def test_article_paths_are_unique_across_a_run() -> None:
    used: Counter[str] = Counter()
    first = read_bytes(BODY.encode(), "a.txt", config=Config())
    assert unique_paths(first, used).articles[0].path == "a.txt"
    assert unique_paths(first, used).articles[0].path == "a.txt~2"


# --------------------------------------------------------------------------------------------
# Every entry accounted for


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
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("a.txt", "date: 2023-07-08\n\n" + BODY)
        archive.writestr("b.pdf", "%PDF")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "empty.zip").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "dir.txt").mkdir()
    result = outcomes(tmp_path, max_file_bytes=4000)
    assert result["good.txt"] == ("read", None, 1)
    assert result["empty.txt"][0:2] == ("skipped", "empty file")
    assert result["empty.zip"][0:2] == ("skipped", "empty file")
    assert result["doc.pdf"][0] == "skipped" and "not an article format" in (result["doc.pdf"][1] or "")
    assert result["fake.txt"][0] == "skipped" and "PDF" in (result["fake.txt"][1] or "")
    assert result["bad.json"][0] == "failed" and "invalid JSON" in (result["bad.json"][1] or "")
    assert result["many.jsonl"] == ("read", "1 line(s) not valid JSON, skipped", 3)
    assert result["big.txt"][0] == "skipped" and "size limit" in (result["big.txt"][1] or "")
    assert result[".hidden.txt"][0] == "skipped"
    assert result["sub/inner.md"][0] == "read"
    assert result["dangling.txt"][0:2] == ("skipped", "broken symlink")
    assert result["self.txt"][0:2] == ("skipped", "symlink loop")
    assert result["sub/loop"][0] == "skipped" and "loop" in (result["sub/loop"][1] or "")
    assert result["bundle.zip"][0] == "read" and result["bundle.zip"][2] == 1
    assert result["broken.zip"][0] == "failed"
    assert result["pipe.txt"] == ("skipped", "not a regular file (named pipe)", 0)  # never opened: it would block
    assert result["zero.txt"] == ("skipped", "not a regular file (device)", 0)
    assert "dir.txt" not in result  # a folder, walked like any other (it is empty)
    assert len(result) == 18


def test_output_folder_inside_the_input_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date: 2023-07-07\n\n" + BODY, encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "report.json").write_text('{\n  "frontmap_version": "0.1.0",\n  "files": []\n}\n', encoding="utf-8")
    (out / "map.html").write_text("<html><body><p>" + BODY + "</p></body></html>", encoding="utf-8")
    (out / "notes.txt").write_text(BODY, encoding="utf-8")
    result = outcomes(tmp_path)
    assert result["output/report.json"] == ("skipped", "output of an earlier frontmap run", 0)
    assert result["output/map.html"] == ("skipped", "output of an earlier frontmap run", 0)
    assert result["output/notes.txt"][0] == "read"
    # Somebody else's report.json is an ordinary file.
    (out / "report.json").write_text(json.dumps({"text": BODY}), encoding="utf-8")
    assert outcomes(tmp_path)["output/report.json"][0] == "read"


def test_unreadable_file_is_skipped_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open() of one file is refused with EACCES, as for a file of another user."""
    (tmp_path / "locked.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "open.txt").write_text(BODY, encoding="utf-8")
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)
    result = outcomes(tmp_path)
    assert result["locked.txt"] == ("skipped", "unreadable: Permission denied", 0)
    assert result["open.txt"][0] == "read"


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    # pytest's tmp_path lives under a 0700 folder that another user cannot enter.
    folder = Path(tempfile.mkdtemp(prefix="frontmap-perm-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _read_folder_as(uid: int, folder: Path) -> list[list[str | None]]:
    """read_folder run in a forked child that has given up root for ``uid``.

    A fork rather than a new interpreter: the child needs no access to the interpreter's files
    (which may sit under /root), only to the folder.
    """
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(rfd)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            found = [[r.outcome.path, r.outcome.status, r.outcome.reason]
                     for r in read_folder(folder, config=Config())]
            with os.fdopen(wfd, "w") as out:
                json.dump(found, out)
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    with os.fdopen(rfd) as received:
        data = received.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and data, "the child failed"
    result: list[list[str | None]] = json.loads(data)
    return result


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to run the reader as another user")
def test_permissions_for_real_as_another_user(world_readable_tmp: Path) -> None:
    """Root reads everything, so the reader runs as 'nobody' over files it may not read."""
    folder = world_readable_tmp
    (folder / "open.txt").write_text("date: 2023-07-07\n\n" + BODY, encoding="utf-8")
    (folder / "locked.txt").write_text(BODY, encoding="utf-8")
    (folder / "locked.txt").chmod(0o600)
    (folder / "closed").mkdir()
    (folder / "closed" / "inside.txt").write_text(BODY, encoding="utf-8")
    (folder / "closed").chmod(0o700)
    found = {path: (status, reason) for path, status, reason in _read_folder_as(65534, folder)}
    assert found == {
        "closed": ("skipped", "cannot list folder: Permission denied"),
        "locked.txt": ("skipped", "unreadable: Permission denied"),
        "open.txt": ("read", None),
    }
