"""Deterministic synthetic corpora for the benchmarks: 1k to 1M articles of ~4 KB.

    python bench/generate.py OUT --articles 10000 [--seed 1] [--jobs 2] [--size 4000]

Articles are written in the styles of ``examples/articles`` (a wire story with a dateline and
attributions, an official statement by axis, an analyst's dense daily assessment with
"X (about 15km northeast of Y)", a Markdown round-up of channel claims), with place names drawn
from the shipped gazetteer and dates from 2022 to 2025. The text is made up from templates: it
never copies a real article (DESIGN.md: the dev corpus is for measuring only).

Reproducible: article ``i`` depends only on ``(seed, i)``, never on ``--jobs`` or on the order in
which workers run, so the same command always writes the same bytes. Files go into sub-folders
of 1,000 (``0000/``, ``0001/``, ...) so that 1M articles do not make one huge folder.

Place pools (built once, in the parent, and inherited by forked workers):

* *front*: populated places (feature class P) of the front-line oblasts, weighted towards the
  larger ones; most claims are about these, as in real reporting;
* *towns*: front-line places of 10,000 people or more, the anchors of relative phrases: each
  village knows its nearest town, so "X (about 7km south-southwest of Y)" is geographically true
  and the disambiguation sees the agreement it looks for;
* *any*: every other named place (rivers, other oblasts' villages), for the long tail.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import multiprocessing
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FRONT_OBLASTS = frozenset({
    "Donetsk Oblast", "Luhansk Oblast", "Zaporizhzhia Oblast", "Kherson Oblast", "Kharkiv Oblast",
    "Mykolaiv Oblast", "Dnipropetrovsk Oblast", "Sumy Oblast",
})
FIRST_DAY = dt.date(2022, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
PER_FOLDER = 1000
_NAME_OK = re.compile(r"^[A-Z][A-Za-z'’ -]+[a-z]$")  # plain romanised names only

COMPASS16 = ("north", "north-northeast", "northeast", "east-northeast", "east", "east-southeast",
             "southeast", "south-southeast", "south", "south-southwest", "southwest", "west-southwest",
             "west", "west-northwest", "northwest", "north-northwest")
COMPASS8 = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Spot:
    """A place the generator can name: its name as written, where it is, its oblast."""

    name: str
    lat: float
    lon: float
    admin1: str
    population: int


@dataclass(slots=True)
class Pools:
    """The place pools (see the module docstring)."""

    front: list[Spot]
    front_cum: list[float]  # cumulative weights of ``front``, for bisect sampling
    towns: list[Spot]
    anchor_of: list[int]  # index into ``towns`` of each front place's nearest town
    other: list[Spot]

    def front_place(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.front_cum, rng.random() * self.front_cum[-1])


_POOLS: Pools | None = None


def build_pools() -> Pools:
    """Place pools from the shipped gazetteer (a few seconds; done once per run)."""
    import numpy as np

    from frontmap.gazetteer import Gazetteer, normalize

    gazetteer = Gazetteer.load(include_user=False)
    front: list[Spot] = []
    other: list[Spot] = []
    seen: set[tuple[str, str]] = set()
    for place in gazetteer:
        name = place.name
        if not _NAME_OK.match(name) or len(name) > 30 or not gazetteer.lookup(normalize(name)):
            continue
        admin1 = place.admin1 or ""
        if (name, admin1) in seen:
            continue
        seen.add((name, admin1))
        spot = Spot(name, place.lat, place.lon, admin1, place.population)
        if place.feature_class == "P" and admin1 in FRONT_OBLASTS:
            front.append(spot)
        elif place.feature_class in {"P", "H"}:
            other.append(spot)
    front.sort(key=lambda s: (s.admin1, s.name, s.lat))
    other.sort(key=lambda s: (s.admin1, s.name, s.lat))
    towns = [s for s in front if s.population >= 10_000]
    cum: list[float] = []
    total = 0.0
    for spot in front:
        # Bigger places are named more often, but villages still make most of the mentions.
        total += 1.0 + math.log10(spot.population + 10)
        cum.append(total)
    lat = np.radians(np.array([s.lat for s in front]))[:, None]
    lon = np.radians(np.array([s.lon for s in front]))[:, None]
    tlat = np.radians(np.array([t.lat for t in towns]))[None, :]
    tlon = np.radians(np.array([t.lon for t in towns]))[None, :]
    a = np.sin((tlat - lat) / 2) ** 2 + np.cos(lat) * np.cos(tlat) * np.sin((tlon - lon) / 2) ** 2
    dist = 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    dist[dist < 1.0] = np.inf  # a town is not its own anchor
    anchor_of = [int(i) for i in np.argmin(dist, axis=1)]
    return Pools(front=front, front_cum=cum, towns=towns, anchor_of=anchor_of, other=other)


def relation(subject: Spot, anchor: Spot) -> tuple[float, str, str]:
    """Distance (km), 16-point and 8-point compass words from ``anchor`` to ``subject``."""
    p1, p2 = math.radians(anchor.lat), math.radians(subject.lat)
    dl = math.radians(subject.lon - anchor.lon)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    bearing = (math.degrees(math.atan2(x, y)) + 360.0) % 360.0
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
    return km, COMPASS16[round(bearing / 22.5) % 16], COMPASS8[round(bearing / 45.0) % 8]


# --------------------------------------------------------------------------------------------
# Sentence makers. Each takes the article's random generator and context, returns one paragraph.


@dataclass(slots=True)
class Ctx:
    """What one article's sentences share: its date, its publisher, its places."""

    rng: random.Random
    pools: Pools
    published: dt.date
    source: str
    short: str  # the source as named in the text ("EFM", "Northline")
    region: str  # the front-line oblast most of the article is about
    recent: list[int]  # front places named so far (later sentences come back to them)

    def place(self) -> Spot:
        rng = self.rng
        if self.recent and rng.random() < 0.3:
            return self.pools.front[rng.choice(self.recent)]
        if rng.random() < 0.07:
            return rng.choice(self.pools.other)
        i = self.pools.front_place(rng)
        self.recent.append(i)
        return self.pools.front[i]

    def village_with_anchor(self) -> tuple[Spot, Spot]:
        i = self.pools.front_place(self.rng)
        self.recent.append(i)
        return self.pools.front[i], self.pools.towns[self.pools.anchor_of[i]]

    def day(self, back: int = 3) -> dt.date:
        return self.published - dt.timedelta(days=self.rng.randint(0, back))

    def on_day(self) -> str:
        d = self.day()
        return f"on {MONTHS[d.month - 1]} {d.day}"

    def km(self) -> str:
        rng = self.rng
        value = rng.choice((0.5, 1, 1.2, 1.5, 2, 3, 4, 5)) if rng.random() < 0.7 else rng.randint(300, 900)
        if value >= 100:
            return f"{value} meters"
        text = f"{value:g}"
        return rng.choice((f"{text}km", f"{text} kilometers", f"{text} km", f"about {text}km"))


def _side(rng: random.Random) -> tuple[str, str]:
    return ("Ukrainian", "Russian") if rng.random() < 0.5 else ("Russian", "Ukrainian")


def rel_phrase(ctx: Ctx) -> str:
    village, town = ctx.village_with_anchor()
    km, d16, _d8 = relation(village, town)
    if km < 1.5 or km > 90:
        return village.name
    return f"{village.name} (about {round(km)}km {d16} of {town.name})"


# Sentences without a place: real reporting has context, caveats and assessments between claims.
FILLERS: dict[str, tuple[str, ...]] = {
    "analyst": (
        "{short} assesses that the tempo of operations in this area is likely to remain high in the coming weeks.",
        "Weather conditions and the lack of armored vehicles continue to constrain mechanized assaults here.",
        "{short} has not observed visual evidence supporting these claims and cannot independently confirm them.",
        "Russian sources continued to amplify claims of gains that {short} has not been able to verify.",
        "The commander of a drone unit operating in the area noted that infantry infiltration remains the "
        "dominant tactic, with small groups of two to four soldiers.",
    ),
    "wire": (
        "Neither side gave figures for its losses, and the accounts could not be reconciled.",
        "Western officials have said they expect the fighting to intensify as the ground dries out.",
        "\"The situation is difficult but under control,\" the spokesman told national television.",
        "Kyiv has repeatedly asked its allies for more artillery shells and air defence systems.",
    ),
    "official": (
        "The enemy suffered the following losses in the past day: about {n} personnel, 7 tanks and 9 drones.",
        "Over the past day, our aviation struck 12 areas of concentration of enemy personnel and equipment.",
        "Unfortunately, civilians were killed and wounded; residential buildings were damaged.",
    ),
    "roundup": (
        "Nothing in these posts has been confirmed, and several of the videos appear to be old.",
        "We will keep tracking these claims during the week.",
    ),
}


def fillers(ctx: Ctx, kind: str, count: int) -> list[str]:
    return [ctx.rng.choice(FILLERS[kind]).format(short=ctx.short, n=ctx.rng.randint(300, 1200))
            for _ in range(count)]


def analyst_paragraph(ctx: Ctx) -> str:
    rng = ctx.rng
    a, b = _side(rng)
    p1, p2, p3 = rel_phrase(ctx), rel_phrase(ctx), ctx.place().name
    n = rng.randint(1, 40)
    sentences = [
        f"{a} forces continued offensive operations near {ctx.place().name} {ctx.on_day()} but did not make "
        f"confirmed advances.[{n}]",
        f"Geolocated footage published {ctx.on_day()} indicates that {a} forces advanced {ctx.km()} "
        f"{rng.choice(COMPASS8)} of {p1}.[{n + 1}]",
        f"The {b} General Staff reported that {b} forces repelled {a} attacks near {p2} and {p3}.[{n + 2}]",
        f"A {rng.choice(('Russian', 'prominent Russian'))} milblogger claimed that Russian forces captured "
        f"{ctx.place().name}, though {ctx.short} has not observed confirmation of this claim and Ukrainian "
        f"sources denied it.[{n + 3}]",
        f"{a} forces conducted unsuccessful ground attacks in the direction of {rel_phrase(ctx)} "
        f"{ctx.on_day()}, according to the Ukrainian General Staff.[{n + 4}]",
        f"Russian forces struck {ctx.place().name} with guided glide bombs, according to Ukrainian "
        f"officials.[{n + 5}]",
    ]
    rng.shuffle(sentences)
    return " ".join(sentences[: rng.randint(3, 5)] + fillers(ctx, "analyst", 2))


def wire_paragraph(ctx: Ctx) -> str:
    rng = ctx.rng
    p1, p2 = ctx.village_with_anchor()  # p1 lies near the town p2, as it would in a real story
    km, _d16, d8 = relation(p1, p2)
    miles = max(1, round(km / 1.609))
    choices = [
        f"Ukraine's general staff said in its evening update that its forces had achieved partial success "
        f"near {p1.name}, a village {rng.choice(('just ', f'about {round(km)} km '))}{d8} of {p2.name}.",
        f"Russia's defence ministry gave a starkly different account, saying its troops had repelled an "
        f"attack on {p1.name} by two Ukrainian assault groups.",
        f"A military spokesman said on {rng.choice(WEEKDAYS)} that Ukrainian troops had pushed forward by "
        f"more than a kilometre around {p2.name} in the past day.",
        f"{ctx.short} could not independently verify the battlefield accounts of either side.",
        f"Russian artillery struck {ctx.place().name} yesterday, damaging a school and several houses, the "
        f"head of the regional administration said.",
        f"Moscow denied that Ukrainian forces had gained any ground near {p2.name}, saying all of its lines "
        f"around the town were intact.",
        f"Russian assault groups had been stopped near {p1.name}, about {round(km)} km ({miles} miles) "
        f"{d8} of {p2.name}, the general staff said.",
        "He gave no map references and did not say which positions had changed hands.",
    ]
    rng.shuffle(choices)
    return " ".join(choices[: rng.randint(3, 4)] + fillers(ctx, "wire", 2))


def official_paragraph(ctx: Ctx) -> str:
    rng = ctx.rng
    axis = ctx.place().name
    names = [ctx.place().name for _ in range(rng.randint(2, 4))]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    region = ctx.region.replace(" Oblast", "")
    choices = [
        f"{axis} axis: the enemy conducted unsuccessful offensive actions near {listed} in the {region} "
        f"region. Units of the Defence Forces stopped {rng.randint(2, 14)} attacks.",
        f"Over the past day our defenders repelled {rng.randint(2, 20)} enemy attacks near {listed}.",
        f"In the area of {ctx.place().name}, {rng.choice(COMPASS8)} of {axis}, the occupiers tried to regain "
        f"lost positions and retreated with losses.",
        f"Our soldiers have had success south of {ctx.place().name} and are advancing in the direction of "
        f"{ctx.place().name}, consolidating on the lines reached.",
        f"The enemy shelled {listed}.",
    ]
    rng.shuffle(choices)
    return " ".join(choices[: rng.randint(2, 3)] + fillers(ctx, "official", 1))


def roundup_paragraph(ctx: Ctx) -> str:
    rng = ctx.rng
    p1, p2 = ctx.place(), ctx.place()
    return (
        f"**{p1.name}.** Several Russian milbloggers claimed on {rng.choice(WEEKDAYS)} that Russian forces "
        f"had pushed into {p2.name} and raised a flag over its northern street. Ukrainian sources denied "
        f"that. A spokesman for the Tavria group of forces said Russian assault groups had attacked "
        f"{p2.name} \"in waves\" but had been driven back. One popular channel went further and claimed "
        f"that Russian troops had captured {ctx.place().name}, around {rng.randint(3, 15)} km "
        f"{rng.choice(COMPASS8)} of {p1.name}. " + " ".join(fillers(ctx, "roundup", 1))
    )


STYLES: tuple[tuple[str, str, str, str, Callable[[Ctx], str], str], ...] = (
    # key, source, short name, suffix, paragraph maker, weight/lead kind
    ("efm", "Eastern Front Monitor (EFM)", "EFM", ".txt", analyst_paragraph, "analyst"),
    ("northline", "Northline News", "Northline", ".txt", wire_paragraph, "wire"),
    ("ua-general-staff", "General Staff of the Armed Forces of Ukraine (synthetic text)", "the General Staff",
     ".txt", official_paragraph, "official"),
    ("frontfeed", "Frontfeed Digest", "Frontfeed", ".md", roundup_paragraph, "roundup"),
)


def article(i: int, *, seed: int, size: int, pools: Pools) -> tuple[str, str]:
    """Article ``i``: ``(relative path, text)``; depends only on ``(seed, i, size)``."""
    rng = random.Random(seed * 1_000_003 + i)
    key, source, short, suffix, make, kind = STYLES[rng.choices(range(len(STYLES)), (4, 3, 2, 1))[0]]
    published = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    first = pools.front[pools.front_place(rng)]
    ctx = Ctx(rng, pools, published, source, short, first.admin1 or "Donetsk Oblast", [])
    month = MONTHS[published.month - 1]
    if kind == "analyst":
        title = f"Eastern Front Daily Assessment, {month} {published.day}, {published.year}"
        lead = (f"{rng.choice(('Ukrainian', 'Russian'))} forces continued operations in {ctx.region} on "
                f"{month} {published.day} and made marginal confirmed gains near {first.name}.")
    elif kind == "wire":
        title = f"Fighting around {first.name} as both sides claim gains"
        lead = (f"{first.name.upper()}, {month} {published.day} ({short}) - Ukrainian troops pressed attacks "
                f"near {first.name} on {WEEKDAYS[published.weekday()]}, a military spokesman said, as Kyiv "
                f"kept up pressure in the {ctx.region.replace(' Oblast', '')} region.")
    elif kind == "official":
        title = f"Operational update of the General Staff as of 18:00, {published.day} {month} {published.year}"
        lead = ("Over the past day there were "
                f"{rng.randint(20, 160)} combat engagements. The Defence Forces of Ukraine are holding the line.")
    else:
        title = f"Front feed: what the war channels claimed ({month} {published.day})"
        lead = "*Our round-up of claims made on Telegram about the front line. Nothing here is confirmed.*"
    paragraphs = [lead]
    length = len(lead)
    while length < size - 300:  # paragraphs are ~600 characters: the mean lands near ``size``
        paragraph = make(ctx)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        if len(ctx.recent) > 12:
            del ctx.recent[:6]
    url = f"https://example.org/{key}/{published.isoformat()}/{i}"
    body = "\n\n".join(paragraphs)
    if suffix == ".md":
        head = f"---\ntitle: \"{title}\"\ndate: {published.isoformat()}\nsource: {source}\nurl: {url}\n---\n\n"
    else:
        head = f"title: {title}\ndate: {published.isoformat()}\nsource: {source}\nurl: {url}\n\n"
    rel = f"{i // PER_FOLDER:04d}/{i:07d}_{key}_{published.isoformat()}{suffix}"
    return rel, head + body + "\n"


def _write_range(args: tuple[Path, int, int, int, int]) -> int:
    out, start, stop, seed, size = args
    assert _POOLS is not None
    written = 0
    made: set[Path] = set()
    for i in range(start, stop):
        rel, text = article(i, seed=seed, size=size, pools=_POOLS)
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written += len(data)
    return written


def generate(out: Path, articles: int, *, seed: int = 1, size: int = 4000, jobs: int = 1) -> int:
    """Write ``articles`` articles under ``out``; return the bytes written."""
    global _POOLS
    if _POOLS is None:
        _POOLS = build_pools()
    out.mkdir(parents=True, exist_ok=True)
    step = PER_FOLDER
    ranges = [(out, s, min(s + step, articles), seed, size) for s in range(0, articles, step)]
    if jobs <= 1 or len(ranges) == 1:
        return sum(_write_range(r) for r in ranges)
    # fork: the workers inherit the pools instead of rebuilding them from the gazetteer.
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.imap_unordered(_write_range, ranges))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the articles into")
    parser.add_argument("--articles", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=4000, help="target characters per article (~4 KB)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    written = generate(args.out, args.articles, seed=args.seed, size=args.size, jobs=args.jobs)
    seconds = time.perf_counter() - t0
    print(f"{args.articles} articles, {written / 1e6:.1f} MB ({written / max(1, args.articles):.0f} B each) "
          f"in {seconds:.1f} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
