"""A deterministic folder of hostile and malformed article files, with a few good ones.

Analysts point frontmap at folders they did not curate. This module writes such a folder:
script tags and event handlers in every field, ``javascript:`` URLs, ``</script>`` in titles,
broken and deeply nested markup, huge lines, NUL bytes, invalid UTF-8, mixed encodings,
truncated and lying zip archives, deeply nested JSON and JSON of the wrong types, empty files,
binaries under article names, symlink loops, broken links, FIFOs, hidden files, and names with
spaces, newlines, right-to-left marks and bytes that are not UTF-8. Among them sit a few good
articles (fictional, written for these tests) under ``good/``.

Every byte comes from a seeded ``random.Random``: two calls write identical folders.

Command line (for looking at the folder by hand)::

    python tests/hostile.py OUT_DIR [--count N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import socket
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240607
GOOD = "good"
# The run over this folder uses this size limit, so that a few files are over it without the
# folder getting big.
MAX_FILE_BYTES = 1_000_000

# Places of the good articles, and places the hostile ones may claim things about. They are
# disjoint, so no hostile claim can contest a good one (contested marking is per place).
GOOD_PLACES = ("Bakhmut", "Klishchiivka", "Andriivka", "Robotyne", "Verbove", "Orikhiv", "Avdiivka",
               "Kupiansk", "Synkivka", "Marinka")
HOSTILE_PLACES = ("Kherson", "Izium", "Lyman", "Vuhledar", "Kreminna", "Huliaipole", "Mykolaiv", "Sumy")

PAYLOADS = (
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    "<svg onload=window.__pwned=3>",
    "</script><script>window.__pwned=4</script>",
    '<iframe src="javascript:window.__pwned=5"></iframe>',
    '"><b onmouseover=window.__pwned=6>hover</b>',
    "'-alert(7)-'",
    "${window.__pwned=8}",
    '<a href="javascript:window.__pwned=10">click</a>',
    "<!--",
    "]]>",
    "<![CDATA[",
    "\u2028\u2029",
    "\u202etxt.exe",
    "<style>*{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=11>",
    "<details open ontoggle=window.__pwned=12>",
    "<body onload=window.__pwned=13>",
    "<object data=javascript:window.__pwned=14>",
    "&lt;script&gt;alert(15)&lt;/script&gt;",
    '<base href="javascript:window.__pwned=16//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=17">',
    "\\u003cscript\\u003ewindow.__pwned=18\\u003c/script\\u003e",
    "<scr<script>ipt>window.__pwned=19</script>",
    "\x3cscript\x3ewindow.__pwned=20\x3c/script\x3e",
)
# Jinja syntax. folium/branca compile an element's rendered HTML as a template a second time,
# so text like this in an article was once evaluated while the map was drawn (arbitrary Python:
# "{{ cycler.__init__.__globals__.os.getcwd() }}" printed the working directory into map.html),
# and "{#" alone crashed the run. The renderer now escapes "{" in what it writes; these stay in
# the hostile folder and have a test of their own.
TEMPLATE_PAYLOADS = (
    "{{constructor.constructor('window.__pwned=9')()}}",
    "{{ 'tm' ~ 'pl' ~ 7*191 }}",
    "{% if true %}evaluated{% endif %}",
    "{# an unclosed template comment",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
)
URLS = (
    "javascript:window.__pwned=21",
    "JaVaScRiPt:window.__pwned=22",
    " javascript:alert(23)",
    "java\tscript:alert(24)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(25)",
    "//evil.example/x",
    'https://example.org/ok"><script>window.__pwned=26</script>',
    "file:///etc/passwd",
    "http://",
    "https://exa mple.org/a b",
    "https://example.org/" + "a" * 3000,
)
CLAIM_TEMPLATES = (
    "Russian forces attacked {place} {payload} on Tuesday, the general staff said.",
    "Ukrainian troops advanced near {place}, a spokesman said {payload}.",
    "Russia's defence ministry said its forces repelled an attack near {place} {payload}.",
    "{payload} Russian artillery struck {place} overnight, regional officials said.",
)
FILLER = ("The report could not be verified.", "Officials gave no further details.",
          "Fighting continued elsewhere along the front.", "Residents described a quiet night.")

# --------------------------------------------------------------------------------------------
# The good articles (fictional, written for these tests; never copied from published work)

GOOD_TXT = """title: Ukraine reports gains south of Bakhmut; Moscow says attack on Andriivka repelled
date: 2023-07-14
source: Test Wire
url: https://example.org/test-wire/2023/07/14/bakhmut-south

KYIV, July 14 (Test Wire) - Ukrainian forces advanced about 700 metres near Klishchiivka, south of \
Bakhmut, over the past day, a spokesman for Ukraine's eastern group of forces said on Friday.

Russia's defence ministry said its troops had repelled two Ukrainian attacks near Andriivka and \
inflicted heavy losses.

Test Wire could not independently verify either account.
"""

GOOD_MD = """---
title: "Evening summary: Zaporizhzhia direction"
date: 2023-08-03
source: Test Desk
url: https://example.org/test-desk/2023/08/03/evening
---
# Evening summary

Ukraine's general staff said its forces had partial success near Robotyne on Thursday and were \
consolidating positions north of Verbove.

Russian artillery struck Orikhiv overnight, regional officials said.
"""

GOOD_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Russian assaults near Avdiivka repelled, Kyiv says | Test Post</title>
<meta property="og:title" content="Russian assaults near Avdiivka repelled, Kyiv says">
<meta property="og:site_name" content="Test Post">
<meta property="og:url" content="https://example.org/test-post/2023/09/12/avdiivka">
<meta property="article:published_time" content="2023-09-12T10:00:00+03:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/war">War</a></li></ul></nav>
<article>
<h1>Russian assaults near Avdiivka repelled, Kyiv says</h1>
<p>Ukrainian forces repelled six Russian assaults near Avdiivka over the past day, the general \
staff of Ukraine's armed forces said on Tuesday morning in its regular update.</p>
<p>Russia's defence ministry said its troops had improved their positions near Marinka, west of \
Donetsk, and struck Ukrainian units in the area with artillery.</p>
<p>Neither account could be independently verified by the Test Post.</p>
</article>
<footer><p>&copy; 2023 Test Post. All rights reserved. <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""

GOOD_JSON = {
    "status": "ok",
    "articles": [
        {
            "source": {"id": None, "name": "Test Agency"},
            "title": "Russian troops attack near Synkivka, Ukraine says",
            "url": "https://example.org/test-agency/2023/10/05/synkivka",
            "publishedAt": "2023-10-05T08:00:00Z",
            "content": "Russian troops attacked Ukrainian positions near Synkivka, northeast of Kupiansk, "
                       "several times on Wednesday, the Ukrainian general staff said. All attacks were "
                       "repelled, it said.",
        },
        {
            "source": {"id": None, "name": "Test Agency"},
            "title": "Kupiansk shelled again",
            "url": "https://example.org/test-agency/2023/10/06/kupiansk",
            "publishedAt": "2023-10-06T09:30:00Z",
            "content": "Russian artillery struck Kupiansk on Thursday, damaging a school, regional "
                       "officials said.",
        },
    ],
}

GOOD_UTF16 = """title: Fighting around Bakhmut continues
date: 2023-07-20
source: Test Wire

Ukrainian forces advanced near Bakhmut on Thursday, a military spokesman said.
"""

GOOD_ZIPPED = """title: Russia says it repelled attacks near Robotyne
date: 2023-08-10
source: Test Desk

Russia's defence ministry said on Thursday its forces had repelled three Ukrainian attacks near \
Robotyne.
"""


def write_good(root: Path) -> list[str]:
    """Write the good articles under ``root/good``; return their relative paths."""
    folder = root / GOOD
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "01_wire.txt": GOOD_TXT.encode("utf-8"),
        "02_summary.md": GOOD_MD.encode("utf-8"),
        "03_page.html": GOOD_HTML.encode("utf-8"),
        "04_feed.json": json.dumps(GOOD_JSON, indent=2).encode("utf-8"),
        "05_utf16.txt": b"\xff\xfe" + GOOD_UTF16.encode("utf-16-le"),  # with BOM
        "06_bundle.zip": _zip_bytes([("summary.txt", GOOD_ZIPPED.encode("utf-8"))]),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [f"{GOOD}/{name}" for name in files]


# --------------------------------------------------------------------------------------------
# The generator


@dataclass
class Manifest:
    """What :func:`build` wrote."""

    root: Path
    entries: list[str] = field(default_factory=list)  # every path report.json must list
    good: list[str] = field(default_factory=list)  # the good article files
    kinds: dict[str, int] = field(default_factory=dict)  # how many entries of each kind


def shown(name: str | bytes) -> str:
    """A name as frontmap's report shows it (undecodable bytes as ``\\xNN``)."""
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _Writer:
    def __init__(self, root: Path, rng: random.Random, manifest: Manifest) -> None:
        self.root = root
        self.rng = rng
        self.manifest = manifest
        self.n = 0

    def put(self, kind: str, name: str | bytes, data: bytes, *, entry: bool = True) -> None:
        """Write one file named ``name`` (a str or raw bytes) under the kind's folder."""
        self.n += 1
        folder = self.root / kind
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(name, bytes):
            path = os.fsencode(folder) + b"/" + name
            Path(os.fsdecode(path)).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        else:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        if entry:
            self.entry(kind, f"{kind}/{shown(name)}")

    def entry(self, kind: str, rel: str) -> None:
        self.manifest.entries.append(rel)
        self.manifest.kinds[kind] = self.manifest.kinds.get(kind, 0) + 1

    def payload(self) -> str:
        return self.rng.choice(PAYLOADS + TEMPLATE_PAYLOADS)

    def url(self) -> str:
        return self.rng.choice(URLS)

    def place(self) -> str:
        return self.rng.choice(HOSTILE_PLACES)

    def claim(self) -> str:
        return self.rng.choice(CLAIM_TEMPLATES).format(place=self.place(), payload=self.payload())

    def body(self, sentences: int = 4) -> str:
        parts = [self.claim() if self.rng.random() < 0.6 else self.rng.choice(FILLER) for _ in range(sentences)]
        return "\n\n".join(parts)

    def date(self) -> str:
        # Dates of 2022, a year before the good articles, so no hostile claim is near a good one.
        return f"2022-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


def build(root: Path, *, count: int = 1000, seed: int = SEED) -> Manifest:
    """Write the hostile folder into ``root`` (which must be empty or missing).

    Parameters
    ----------
    root
        The folder to fill.
    count
        At least this many entries are written (the fixed kinds come first; the rest is made
        of the generated kinds, in turn).
    seed
        Seed of every random choice: the same seed writes the same bytes.
    """
    root.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(root=root)
    rng = random.Random(seed)
    w = _Writer(root, rng, manifest)
    manifest.good = write_good(root)
    for rel in manifest.good:
        w.entry("good", rel)
    _fixed(w)
    generators: list[Callable[[_Writer, int], None]] = [
        _xss_txt, _xss_md, _xss_html, _xss_json, _xss_jsonl, _json_types, _broken_html, _bad_bytes,
        _encodings, _binary, _weird_names, _front_matter, _zips,
    ]
    i = 0
    while len(manifest.entries) < count:
        generators[i % len(generators)](w, i)
        i += 1
    return manifest


# --------------------------------------------------------------------------------------------
# Kinds written once


def _fixed(w: _Writer) -> None:
    _empty(w)
    _special(w)
    _symlinks(w)
    _hidden(w)
    _huge(w)
    _deep(w)
    _dated_by_name_only(w)
    _output_lookalike(w)


def _empty(w: _Writer) -> None:
    for name, data in [("empty.txt", b""), ("spaces.txt", b"   \n\t \r\n"), ("empty.json", b""),
                       ("empty.html", b""), ("bom_only.txt", b"\xef\xbb\xbf"), ("newlines.md", b"\n" * 500),
                       ("empty.jsonl", b"\n\n"), ("empty.zip", b""), ("nul_only.txt", b"\x00" * 64),
                       ("ws_only.html", b"<html>  </html>")]:
        w.put("empty", name, data)


def _special(w: _Writer) -> None:
    folder = w.root / "special"
    folder.mkdir(parents=True, exist_ok=True)
    # Reading a FIFO blocks until someone writes to it: the run must not open it.
    for name in ("pipe.txt", "pipe.json"):
        os.mkfifo(folder / name)
        w.entry("special", f"special/{name}")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(str(folder / "socket.html"))
        w.entry("special", "special/socket.html")
    except OSError:
        pass  # path too long for AF_UNIX on this machine: go without
    finally:
        sock.close()
    # A folder named like a file, holding one.
    (folder / "folder.txt").mkdir()
    (folder / "folder.txt" / "inner.txt").write_text(f"date: {w.date()}\n\n{w.body()}", encoding="utf-8")
    w.entry("special", "special/folder.txt/inner.txt")
    # An endless device behind an article name.
    (folder / "zero.txt").symlink_to("/dev/zero")
    w.entry("special", "special/zero.txt")
    (folder / "random.md").symlink_to("/dev/urandom")
    w.entry("special", "special/random.md")


def _symlinks(w: _Writer) -> None:
    folder = w.root / "links"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "self.txt").symlink_to("self.txt")  # a link to itself
    (folder / "a.txt").symlink_to("b.txt")  # two links to each other
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "dangling.txt").symlink_to("missing/nowhere.txt")
    (folder / "absolute_dangling.json").symlink_to("/nonexistent/frontmap/absolute.json")
    (folder / "up").symlink_to("..")  # a folder loop: links/up/links/up/...
    (folder / "here").symlink_to(".")
    (folder / "target.txt").write_text(f"date: {w.date()}\n\n{w.body()}", encoding="utf-8")
    (folder / "alias.txt").symlink_to("target.txt")  # a good link: read like a file
    sub = folder / "sub"
    sub.mkdir()
    (sub / "back").symlink_to("../../links")  # a loop two levels deep
    for name in ("a.txt", "absolute_dangling.json", "alias.txt", "b.txt", "dangling.txt", "here", "self.txt",
                 "sub/back", "target.txt", "up"):
        w.entry("links", f"links/{name}")


def _hidden(w: _Writer) -> None:
    w.put("hidden", ".secret.txt", f"date: {w.date()}\n\n{w.body()}".encode())
    w.put("hidden", ".DS_Store", bytes(w.rng.randrange(256) for _ in range(512)))
    folder = w.root / "hidden" / ".git"
    folder.mkdir(parents=True)
    (folder / "config").write_text("[core]\n", encoding="utf-8")
    (folder / "HEAD.txt").write_text(w.body(), encoding="utf-8")
    w.entry("hidden", "hidden/.git")  # one entry: a hidden folder is not walked


def _huge(w: _Writer) -> None:
    # Just under the limit: one line of sentences, one line with no space at all.
    line = " ".join(w.claim() if i % 50 == 0 else w.rng.choice(FILLER) for i in range(9000))
    w.put("huge", "one_line.txt", f"date: {w.date()}\n\n{line}".encode()[: MAX_FILE_BYTES - 10])
    w.put("huge", "no_spaces.txt", ("x" * (MAX_FILE_BYTES // 3)).encode())
    w.put("huge", "one_line.html", (f"<html><body><p>{line}</p></body></html>").encode()[: MAX_FILE_BYTES - 10])
    # Over the limit: skipped unread.
    w.put("huge", "over_limit.txt", b"Russian forces attacked Kherson. " * (MAX_FILE_BYTES // 30))
    w.put("huge", "over_limit.json", json.dumps({"text": "a " * MAX_FILE_BYTES}).encode())


def _deep(w: _Writer) -> None:
    w.put("deep", "arrays.json", b"[" * 200_000 + b"]" * 200_000)
    w.put("deep", "objects.json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    w.put("deep", "unclosed.json", b"[" * 300_000)
    w.put("deep", "lines.jsonl", b"\n".join([b"[" * 50_000 + b"]" * 50_000] * 5))
    w.put("deep", "divs.html", ("<html><body>" + "<div>" * 20_000 + w.claim() + "</div>" * 20_000
                                + "</body></html>").encode())
    w.put("deep", "unclosed.html", ("<html><body>" + "<span><b><i>" * 10_000 + w.claim()).encode())
    w.put("deep", "tables.html", ("<table><tr><td>" * 5_000 + w.claim() + "</td></tr></table>" * 5_000).encode())


def _dated_by_name_only(w: _Writer) -> None:
    # Names and file times that look like dates; the content has none, so the articles stay
    # undated ("never silently dated by file time").
    when = 1_688_731_200  # 2023-07-07T12:00:00Z
    for name in ("2023-07-07.txt", "2023-07-07_assessment.html", "20230707.md"):
        body = f"{w.rng.choice(HOSTILE_PLACES)}: Russian forces attacked {w.place()} on Tuesday, officials said."
        data = f"<html><body><p>{body}</p></body></html>" if name.endswith(".html") else body
        w.put("undated", name, data.encode())
        os.utime(w.root / "undated" / name, (when, when))


def _output_lookalike(w: _Writer) -> None:
    # Files named like frontmap's outputs but written by someone else: read as articles.
    w.put("lookalike", "report.json", json.dumps({"title": "Not a frontmap report", "text": w.body()}).encode())
    w.put("lookalike", "map.html", f"<html><body><p>{w.claim()}</p></body></html>".encode())


# --------------------------------------------------------------------------------------------
# Kinds written in turn until the folder has enough entries


def _xss_txt(w: _Writer, i: int) -> None:
    for n in range(4):
        header = (f"title: {w.payload()} {w.payload()}\ndate: {w.date()}\nsource: {w.payload()}\n"
                  f"url: {w.url()}\n\n")
        w.put("xss_txt", f"article_{i:04d}_{n}.txt", (header + w.body(w.rng.randint(1, 8))).encode())


def _xss_md(w: _Writer, i: int) -> None:
    for n in range(2):
        text = (f"---\ntitle: \"{w.payload()}\"\ndate: {w.date()}\nurl: {w.url()}\n---\n# {w.payload()}\n\n"
                f"[click me](javascript:window.__pwned=30) ![x](x onerror=alert(31))\n\n{w.body()}\n\n"
                f"<script>window.__pwned=32</script>\n")
        w.put("xss_md", f"note_{i:04d}_{n}.md", text.encode())


def _xss_html(w: _Writer, i: int) -> None:
    for n in range(4):
        paragraphs = "".join(f"<p>{w.claim()}</p>" for _ in range(w.rng.randint(1, 5)))
        page = (f"<html><head><title>{w.payload()}</title>"
                f"<meta property=\"og:title\" content=\"{w.payload()}\">"
                f"<meta property=\"og:url\" content=\"{w.url()}\">"
                f"<meta property=\"og:site_name\" content='{w.payload()}'>"
                f"<meta property=\"article:published_time\" content=\"{w.date()}\">"
                f"<script>window.__pwned=40</script></head>"
                f"<body onload=\"window.__pwned=41\"><nav>{w.payload()}</nav><article>{paragraphs}"
                f"<p>{html_escape(w.payload())} {w.claim()}</p></article>"
                f"<img src=x onerror=\"window.__pwned=42\"><a href=\"{w.url()}\">link</a></body></html>")
        w.put("xss_html", f"page_{i:04d}_{n}.html", page.encode())


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xss_json(w: _Writer, i: int) -> None:
    for n in range(3):
        obj = {"title": w.payload(), "text": w.body(), "url": w.url(), "source": {"name": w.payload()},
               "publishedAt": w.date() + "T10:00:00Z"}
        if n == 1:
            obj["content"] = {"rendered": f"<p>{w.claim()}</p><script>window.__pwned=43</script>"}
            del obj["text"]
        w.put("xss_json", f"item_{i:04d}_{n}.json", json.dumps(obj, ensure_ascii=n == 2).encode())


def _xss_jsonl(w: _Writer, i: int) -> None:
    lines = []
    for _ in range(w.rng.randint(2, 6)):
        roll = w.rng.random()
        if roll < 0.6:
            lines.append(json.dumps({"headline": w.payload(), "body": w.body(2), "link": w.url(),
                                     "date": w.date()}))
        elif roll < 0.8:
            lines.append('{"text": "broken line ' + w.payload())
        else:
            lines.append(w.rng.choice(["[1,2,3]", "null", '"just a string"', "{}", "   "]))
    w.put("xss_jsonl", f"feed_{i:04d}.jsonl", "\r\n".join(lines).encode())


def _json_types(w: _Writer, i: int) -> None:
    cases: list[object] = [
        {"text": 123}, {"text": None}, {"text": True}, {"text": ["para one " + w.claim(), 2, {"x": 1}, None]},
        {"text": {"rendered": f"<p>{w.claim()}</p>"}, "title": {"rendered": w.payload()}},
        {"text": w.claim(), "title": {"a": [1, 2]}, "date": True},
        {"text": w.claim(), "date": 1.7e9}, {"text": w.claim(), "date": -1}, {"text": w.claim(), "date": 1e308},
        {"text": w.claim(), "publishedAt": 1_656_700_000_000}, {"text": w.claim(), "date": "NaN"},
        {"text": w.claim(), "date": "2022-02-30"}, {"text": w.claim(), "date": "9999-99-99"},
        [1, "x", None, {"text": w.claim()}], "just a string", 5, {"articles": "not a list"},
        {"articles": [{"text": w.claim()}, 7, [], {"body": w.claim()}]}, {"text": "\ud800 lone " + w.claim()},
        {"text": "nul \u0000 inside " + w.claim(), "title": "bell \u0007 and escape \u001b[31m red"},
    ]
    obj = cases[i % len(cases)]
    w.put("json_types", f"typed_{i:04d}.json", json.dumps(obj).encode("utf-8", "surrogatepass"))
    raw = [b'{"text": 1' + b"0" * 5000 + b"}", b'{"text": "a", "text": "Russian forces attacked Sumy."}',
           b"{'text': 'single quotes'}", b'{"text": "trailing comma",}', b"// comment\n{}",
           b'{"text": NaN, "title": Infinity}', b'\xef\xbb\xbf{"text": "Russian forces attacked Lyman."}',
           b'{"text": "\\ud83d\\ude00 emoji and \\udc00 lone"}']
    w.put("json_types", f"raw_{i:04d}.json", raw[i % len(raw)])


TAG_SOUP = ("<p>", "</p>", "<div", ">", "<", "</", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>",
            "<style>", "<textarea>", "<plaintext>", "<xmp>", "<noscript>", "<template>", "<svg>", "<math>",
            "&", "&amp", "&#", "&#x110000;", "&#0;", "&#xD800;", "<a href='javascript:window.__pwned=50'>",
            "<img src=x onerror=window.__pwned=51>", '"', "'", "=", "<?xml ?>", "<!DOCTYPE", "<html>",
            "<body>", "<title>", "</title>", "<meta charset=utf-7>", "+ADw-script+AD4-", "\x00", "\ufeff")


def _broken_html(w: _Writer, i: int) -> None:
    for n in range(3):
        parts = [w.rng.choice(TAG_SOUP) if w.rng.random() < 0.6 else w.claim() for _ in range(w.rng.randint(5, 60))]
        data = "".join(parts).encode("utf-8", "replace")
        if w.rng.random() < 0.3:
            data = data[: w.rng.randrange(len(data) + 1)]  # cut anywhere, even inside a character
        w.put("broken_html", f"soup_{i:04d}_{n}.html", data)


def _bad_bytes(w: _Writer, i: int) -> None:
    text = f"date: {w.date()}\n\n{w.body()}".encode()
    pos = w.rng.randrange(len(text))
    cases = [
        text[:pos] + b"\x00" + text[pos:],  # one stray NUL: still text
        text.replace(b" ", b"\x00"),  # NULs everywhere: binary
        text[:pos] + b"\xff\xfe\xfd" + text[pos:],  # invalid UTF-8 bytes
        text[:pos] + b"\xc0\xaf" + text[pos:],  # an overlong encoding
        text[:pos] + b"\xed\xa0\x80" + text[pos:],  # a surrogate encoded in UTF-8
        text + "й".encode()[:1],  # a character cut in half at the end
        text[:pos] + b"\x1b[2J\x07\x08" + text[pos:],  # terminal escapes
    ]
    w.put("bad_bytes", f"bytes_{i:04d}.txt", cases[i % len(cases)])


UK_SENTENCES = ("Сили оборони відбили атаку біля Херсона.", "Ворог обстріляв Лиман з артилерії.",
                "Генштаб повідомив про бої на Куп'янському напрямку.", "Їхні позиції під Ізюмом знищено.")
RU_SENTENCES = ("Российские войска атаковали позиции у Лимана.", "Минобороны заявило об отражении атаки.",
                "Под Херсоном продолжаются бои.")


def _encodings(w: _Writer, i: int) -> None:
    uk = " ".join(w.rng.sample(UK_SENTENCES, 2))
    ru = " ".join(w.rng.sample(RU_SENTENCES, 2))
    en = w.body(2)
    cases: list[tuple[str, bytes]] = [
        ("cp1251", uk.encode("cp1251")), ("koi8u", uk.encode("koi8-u")), ("koi8r", ru.encode("koi8-r")),
        ("utf16le", (en + uk).encode("utf-16-le")), ("utf16be", (en + ru).encode("utf-16-be")),
        ("utf16bom", b"\xfe\xff" + (en + uk).encode("utf-16-be")), ("utf8sig", (en + uk).encode("utf-8-sig")),
        ("latin1", ("Le porte-parole a déclaré à Kherson: " + en).encode("latin-1", "replace")),
        ("mixed", en.encode("utf-8") + uk.encode("cp1251") + ru.encode("utf-8")),
        ("utf32", en.encode("utf-32-le")), ("gb18030", "俄罗斯军队袭击了赫尔松。".encode("gb18030")),
        ("shiftjis", "ロシア軍がヘルソンを攻撃した。".encode("shift_jis")),
        ("html_lies", b"<html><head><meta charset=windows-1251></head><body><p>" + uk.encode("koi8-u") + b"</p>"),
        ("html_utf7", b"<html><head><meta charset=utf-7></head><body><p>+ADw-script+AD4-window.__pwned=60"
                      b"+ADw-/script+AD4- \xff</p></body></html>"),
    ]
    label, data = cases[i % len(cases)]
    suffix = ".html" if label.startswith("html") else ".txt"
    w.put("encodings", f"{label}_{i:04d}{suffix}", data)


def _binary(w: _Writer, i: int) -> None:
    blobs = [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(w.rng.randrange(256) for _ in range(300)),
        b"\x89PNG\r\n\x1a\n" + bytes(w.rng.randrange(256) for _ in range(300)),
        b"\xff\xd8\xff\xe0" + bytes(w.rng.randrange(256) for _ in range(300)),
        b"\x7fELF\x02\x01\x01" + bytes(300),
        b"\x1f\x8b\x08\x00" + bytes(w.rng.randrange(256) for _ in range(100)),
        bytes(w.rng.randrange(256) for _ in range(2000)),  # noise with NULs
        bytes(w.rng.randrange(1, 256) for _ in range(2000)),  # noise without NULs
        bytes(w.rng.randrange(1, 32) for _ in range(500)),  # control characters only
        b"PK\x03\x04" + bytes(100),  # an office document, say
    ]
    suffix = (".txt", ".html", ".json", ".md", ".jsonl")[i % 5]
    w.put("binary", f"blob_{i:04d}{suffix}", blobs[i % len(blobs)])


WEIRD_NAMES: tuple[str | bytes, ...] = (
    "with spaces.txt", "  leading spaces.txt", "trailing space .txt", "tab\tname.txt", "new\nline.txt",
    "carriage\rreturn.md", "emoji 🗺️.txt", "кириличне ім'я.txt", "עברית.txt", "مرحبا.html",
    "ｆｕｌｌｗｉｄｔｈ.txt", "e\u0301 decomposed.txt", "\u00e9 composed.txt", "-rf.txt", "--help.md",
    "#hash#.txt", "feed.json#1", "feed.json", "dup~2.txt", "dup.txt", "UPPER.TXT", "double.txt.html",
    "no_suffix", "CON.txt", "*?<>|.txt", "back\\slash.txt", "%2e%2e%2f.txt", "$(touch pwned).txt",
    "`id`.md", "; rm -rf ~.txt", "\u202egnp.txt", "zero\u200bwidth.txt", "a" * 200 + ".txt",
    b"bad\xff\xfename.txt", b"latin1 caf\xe9.md", b"\xc3\x28 invalid.json", "<script>alert(1)</script>.txt",
    "\"quoted\".txt", "it's.txt",
)


def _weird_names(w: _Writer, i: int) -> None:
    k = w.manifest.kinds.get("weird_names", 0)  # every name once before any comes again
    name = WEIRD_NAMES[k % len(WEIRD_NAMES)]
    if k >= len(WEIRD_NAMES):  # later rounds: the same shapes in numbered subfolders
        sub = f"round{k // len(WEIRD_NAMES)}"
        w.put("weird_names", f"{sub}/{name}" if isinstance(name, str) else f"{sub}/".encode() + name,
              _weird_content(w, name))
        return
    w.put("weird_names", name, _weird_content(w, name))


def _weird_content(w: _Writer, name: str | bytes) -> bytes:
    text = os.fsdecode(name) if isinstance(name, bytes) else name
    if text.endswith(".json") or ".json#" in text:
        return json.dumps({"articles": [{"text": w.claim(), "date": w.date()},
                                        {"text": w.claim(), "date": w.date()}]}).encode()
    if text.endswith(".html"):
        return f"<html><body><p>{w.claim()}</p></body></html>".encode()
    return f"title: {w.payload()}\ndate: {w.date()}\n\n{w.body(2)}".encode()


def _front_matter(w: _Writer, i: int) -> None:
    cases = [
        f"---\ntitle: never closed\ndate: {w.date()}\n{w.body()}",
        "---\n" + "".join(f"key{k}: {w.payload()}\n" for k in range(500)) + f"---\n{w.body()}",
        f"---\ntitle: </script><script>window.__pwned=70</script>\ndate: 0000-00-00\n---\n{w.body()}",
        f"---\ndate: 2023-07-07T25:61:00\nsource: &anchor [1, 2]\n---\n{w.body()}",
        f"---\ndate: yesterday\nurl: {w.url()}\n---\n{w.body()}",
        f"---\ndate: 1e308\n---\n---\n---\n{w.body()}",
        "---\n---\n",
        f"title: {'x' * 20000}\ndate: {w.date()}\n\n{w.body()}",
        f"date: {w.date()}\n" * 30 + w.body(),
    ]
    suffix = ".md" if i % 2 else ".txt"
    w.put("front_matter", f"fm_{i:04d}{suffix}", cases[i % len(cases)].encode())


def _zip_bytes(members: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=method) as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate member names are on purpose
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 7, 7, 12, 0, 0))  # fixed: same bytes every run
            info.compress_type = method
            archive.writestr(info, data)
    return buffer.getvalue()


def _lie_about_size(data: bytes, size: int) -> bytes:
    """Rewrite every declared uncompressed size in a one-member zip."""
    out = bytearray(data)
    local = out.find(b"PK\x03\x04")
    struct.pack_into("<I", out, local + 22, size)
    central = out.find(b"PK\x01\x02")
    struct.pack_into("<I", out, central + 24, size)
    return bytes(out)


def _mark_encrypted(data: bytes) -> bytes:
    out = bytearray(data)
    for magic, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(magic)
        flags = struct.unpack_from("<H", out, at + offset)[0]
        struct.pack_into("<H", out, at + offset, flags | 0x1)
    return bytes(out)


def _zips(w: _Writer, i: int) -> None:
    good = f"date: {w.date()}\n\n{w.body()}".encode()
    kind = i % 12
    if kind == 0:
        data = _zip_bytes([("a.txt", good), ("b.html", f"<p>{w.claim()}</p>".encode())])
        data = data[: w.rng.randrange(10, len(data))]  # truncated anywhere
    elif kind == 1:
        data = bytearray(_zip_bytes([("a.txt", good * 20)]))
        data[60] ^= 0xFF  # a flipped byte in the compressed data: CRC or deflate error
        data = bytes(data)
    elif kind == 2:  # zip bomb, lite: 3 MB of spaces declared as 500 bytes
        data = _lie_about_size(_zip_bytes([("bomb.txt", b" " * 3_000_000)]), 500)
    elif kind == 3:  # honest about being too big
        data = _zip_bytes([("big.txt", b"Russian forces attacked Kherson. " * 40_000)])
    elif kind == 4:  # many members, each under the limit, too much together
        data = _zip_bytes([(f"part{k:02d}.txt", b" \n" * 450_000) for k in range(12)])
    elif kind == 5:
        data = _zip_bytes([("inner.zip", _zip_bytes([("x.txt", good)])), ("ok.txt", good)])
    elif kind == 6:
        data = _zip_bytes([("../../escape.txt", good), ("/abs.txt", good), ("dup.txt", good), ("dup.txt", good)])
    elif kind == 7:
        data = _zip_bytes([(".hidden.txt", good), ("__MACOSX/._a.txt", b"\x00\x05\x16\x07"), ("a.txt", good)])
    elif kind == 8:
        data = _zip_bytes([("a.txt", good)], method=zipfile.ZIP_BZIP2)
    elif kind == 9:
        data = _mark_encrypted(_zip_bytes([("secret.txt", good)]))
    elif kind == 10:
        data = _zip_bytes([("bad.json", b"{oops"), ("binary.txt", b"%PDF-1.4"), ("good.txt", good)])
    else:
        data = _zip_bytes([])
    w.put("zips", f"archive_{i:04d}.zip", data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    manifest = build(args.out, count=args.count)
    print(f"{len(manifest.entries)} entries in {args.out} ({len(manifest.good)} good article files)")
    for kind, n in sorted(manifest.kinds.items()):
        print(f"  {kind}: {n}")


if __name__ == "__main__":
    main()
