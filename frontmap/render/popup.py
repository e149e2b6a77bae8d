"""HTML of the popups and tooltips.

Everything that comes from an article (quote, names, publisher, URL) is untrusted: it is escaped
here, once, for HTML. The result is later written into the page's script as a JSON string literal
(see :mod:`frontmap.render.data`), which takes care of the script context.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import urlsplit

_PRECISION: Mapping[int, str] = MappingProxyType(
    {
        1: "the place itself",
        2: "near or relative to a place",
        3: "somewhere in a region",
    }
)


def esc(value: object) -> str:
    """HTML-escape any value, quotes included (safe in text and in quoted attributes).

    ``{`` is escaped too: branca compiles each element's rendered markup as a Jinja template
    once more, so an article's ``{{ ... }}`` or ``{%`` must never reach it as template syntax.
    """
    return html.escape(str(value), quote=True).replace("{", "&#123;")


def _text(props: Mapping[str, object], key: str) -> str | None:
    """A property as stripped text, ``None`` when missing or blank."""
    value = props.get(key)
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _number(props: Mapping[str, object], key: str) -> float | None:
    """A property as a finite float, ``None`` otherwise."""
    value = props.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _km(value: float) -> str:
    """Kilometres without a useless ".0"."""
    return f"{value:g}" if value == round(value, 1) else f"{value:.1f}"


def is_web_url(url: object) -> bool:
    """True for an absolute http(s) URL that is safe to offer as a link.

    Anything else (``javascript:``, ``data:``, relative paths, URLs with spaces or control
    characters) is shown as text instead.
    """
    if not isinstance(url, str):
        return False
    candidate = url.strip()
    if not candidate or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
        return False
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def link_or_text(url: object, label: str | None = None) -> str:
    """An escaped ``<a>`` for a web URL, escaped plain text for anything else."""
    if url is None or str(url).strip() == "":
        return ""
    if not is_web_url(url):
        return esc(url)
    target = str(url).strip()
    return f'<a href="{esc(target)}" target="_blank" rel="noopener noreferrer">{esc(label or target)}</a>'


def _row(label: str, value_html: str | None) -> str:
    """One table row; ``value_html`` must already be escaped."""
    if not value_html:
        return ""
    return f"<tr><th>{esc(label)}</th><td>{value_html}</td></tr>"


def _date_html(props: Mapping[str, object]) -> str:
    date = _text(props, "date")
    if date is None:
        return "undated"
    precision = _text(props, "date_precision")
    return esc(date) + (f" <span class='fm-muted'>({esc(precision)})</span>" if precision else "")


def _distance_html(props: Mapping[str, object]) -> str | None:
    written = _text(props, "distance_text")
    km, low, high = (_number(props, k) for k in ("distance_km", "distance_min_km", "distance_max_km"))
    if low is not None and high is not None and low != high:
        numeric = f"{_km(low)}–{_km(high)} km"
    elif low is not None and high is None and km is not None and km == low:
        numeric = f"≥ {_km(low)} km"
    elif high is not None and low is None:
        numeric = f"≤ {_km(high)} km"
    elif km is not None:
        numeric = f"≈ {_km(km)} km"
    else:
        numeric = None
    if written and numeric:
        return f"“{esc(written)}” <span class='fm-muted'>({esc(numeric)})</span>"
    if written:
        return f"“{esc(written)}”"
    return esc(numeric) if numeric else None


def _direction_html(props: Mapping[str, object]) -> str | None:
    direction = _text(props, "direction")
    bearing = _number(props, "bearing_deg")
    anchor = _text(props, "anchor")
    if direction is None and bearing is None and anchor is None:
        return None
    parts = []
    if direction:
        parts.append(esc(direction))
    if bearing is not None:
        parts.append(f"({bearing % 360:.0f}°)")
    if anchor:
        parts.append(("of " if parts else "relative to ") + f"<b>{esc(anchor)}</b>")
    return " ".join(parts)


def _place_html(props: Mapping[str, object]) -> str | None:
    written = _text(props, "place")
    canonical = _text(props, "place_name")
    admin1 = _text(props, "admin1")
    if written is None and canonical is None:
        return None
    shown = f"<b>{esc(canonical or written)}</b>"
    if written and canonical and written.casefold() != canonical.casefold():
        shown += f" <span class='fm-muted'>(written “{esc(written)}”)</span>"
    if admin1:
        shown += f", {esc(admin1)}"
    return shown


def _choice_html(props: Mapping[str, object]) -> str | None:
    reason = _text(props, "reason")
    candidates = props.get("candidates")
    parts = [esc(reason)] if reason else []
    if isinstance(candidates, int) and not isinstance(candidates, bool):
        parts.append(f"{candidates} candidate{'s' if candidates != 1 else ''} in the gazetteer")
    return "; ".join(parts) or None


def _precision_html(props: Mapping[str, object]) -> str | None:
    level = props.get("geo_precision")
    radius = _number(props, "uncertainty_km")
    parts = []
    if isinstance(level, int) and level in _PRECISION:
        parts.append(_PRECISION[level])
    if radius is not None:
        parts.append(f"± {_km(radius)} km")
    return esc(", ".join(parts)) if parts else None


def _status_html(props: Mapping[str, object]) -> str | None:
    badges = []
    verification = _text(props, "verification")
    if verification:
        badges.append(("fm-badge-light", verification))
    if props.get("contested") is True:
        badges.append(("fm-badge-dark", "contested"))
    if props.get("denied") is True:
        badges.append(("fm-badge-outline", "denial"))
    return " ".join(f"<span class='fm-badge {cls}'>{esc(text)}</span>" for cls, text in badges) or None


def _source_html(props: Mapping[str, object]) -> str | None:
    source = _text(props, "source")
    url = props.get("url")
    published = _text(props, "published")
    article = _text(props, "article")
    if is_web_url(url):
        main = link_or_text(url, source or "article")
    else:
        main = " ".join(part for part in (esc(source) if source else "", link_or_text(url)) if part)
    extra = [f"published {esc(published)}"] if published else []
    if article:
        extra.append(f"file {esc(article)}")
    tail = f" <span class='fm-muted'>({'; '.join(extra)})</span>" if extra else ""
    return (main + tail).strip() or None


#: Row labels of a claim popup, in order; :class:`PopupParts` carries one value per label.
CLAIM_ROWS: tuple[str, ...] = (
    "Claimant",
    "Actor",
    "Action",
    "Date",
    "Place",
    "Why here",
    "Distance",
    "Direction",
    "Precision",
    "Status",
    "Source",
)


@dataclass(frozen=True, slots=True)
class PopupParts:
    """The escaped pieces of a claim popup, before layout.

    The map ships these pieces (most of them repeat from claim to claim and are stored once) and
    lays them out in the browser on click, exactly as :func:`layout_claim_popup` does.

    Attributes
    ----------
    head
        "<b>claimant</b>: action", escaped.
    quote
        The sentence, escaped; "" when there is none.
    values
        One escaped HTML value per label of :data:`CLAIM_ROWS`; "" leaves the row out.
    """

    head: str
    quote: str
    values: tuple[str, ...]


def claim_popup_parts(props: Mapping[str, object]) -> PopupParts:
    """The escaped pieces of one claim's popup.

    Parameters
    ----------
    props
        The claim Feature's properties (DESIGN.md's output contract, plus ``reason`` and
        ``candidates``); any of them may be missing or null.

    Returns
    -------
    PopupParts
        Every value from the data escaped.
    """
    claimant = _text(props, "claimant") or "unknown"
    claimant_name = _text(props, "claimant_name")
    action = _text(props, "action") or "other"
    quote = _text(props, "quote")
    who = esc(claimant) + (f" — {esc(claimant_name)}" if claimant_name else "")
    values = (
        who,
        esc(_text(props, "actor") or "unknown"),
        esc(action),
        _date_html(props),
        _place_html(props),
        _choice_html(props),
        _distance_html(props),
        _direction_html(props),
        _precision_html(props),
        _status_html(props),
        _source_html(props),
    )
    return PopupParts(
        head=f"<b>{esc(claimant)}</b>: {esc(action)}",
        quote=esc(quote) if quote else "",
        values=tuple(value or "" for value in values),
    )


def layout_claim_popup(parts: PopupParts, colour: str) -> str:
    """The popup HTML from its pieces; ``frontmap.js`` (``popupHtml``) builds the same string.

    Parameters
    ----------
    parts
        Escaped pieces from :func:`claim_popup_parts`.
    colour
        The claimant's colour (from the palette, never from the data).
    """
    rows = "".join(_row(label, value) for label, value in zip(CLAIM_ROWS, parts.values, strict=True))
    head = f"<div class='fm-popup-head' style='border-color:{colour}'>{parts.head}</div>"
    quote = f"<blockquote class='fm-quote'>{parts.quote}</blockquote>" if parts.quote else ""
    return f"<div class='fm-popup'>{head}{quote}<table>{rows}</table></div>"


def claim_popup_html(props: Mapping[str, object], colour: str) -> str:
    """The popup of one claim.

    Parameters
    ----------
    props
        The claim Feature's properties; any of them may be missing or null.
    colour
        The claimant's colour (from the palette, never from the data).

    Returns
    -------
    str
        HTML in which every value from the data is escaped.
    """
    return layout_claim_popup(claim_popup_parts(props), colour)


def claim_tooltip_html(props: Mapping[str, object]) -> str:
    """One escaped line shown on hover: claimant, action, place and date."""
    parts = [
        _text(props, "claimant") or "unknown",
        _text(props, "action") or "other",
        _text(props, "place_name") or _text(props, "place") or "",
        _text(props, "date") or "undated",
    ]
    return esc(" · ".join(part for part in parts if part))


#: Row labels of a place popup, in order.
PLACE_ROWS: tuple[str, ...] = ("Written", "Gazetteer", "Region", "Id", "Article", "Candidates")


def place_popup_values(props: Mapping[str, object]) -> tuple[str, ...]:
    """One escaped value per label of :data:`PLACE_ROWS` ("" leaves the row out)."""
    values = [esc(v) if (v := _text(props, key)) else "" for key in ("name", "place_name", "admin1")]
    values += [esc(v) if (v := _text(props, key)) else "" for key in ("place_id", "article")]
    candidates = props.get("candidates")
    counted = isinstance(candidates, int) and not isinstance(candidates, bool)
    values.append(esc(candidates) if counted else "")
    return tuple(values)


def layout_place_popup(values: tuple[str, ...]) -> str:
    """The place popup from its escaped values; ``frontmap.js`` (``placePopupHtml``) does the same."""
    rows = "".join(_row(label, value) for label, value in zip(PLACE_ROWS, values, strict=True))
    return f"<div class='fm-popup fm-place'><table>{rows}</table></div>"


def place_popup_html(props: Mapping[str, object]) -> str:
    """The popup of one resolved place mention (the "places" overlay)."""
    return layout_place_popup(place_popup_values(props))
