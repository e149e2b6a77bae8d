"""Colours and symbols of the claim markers, as small inline SVG (no image files, no icon fonts).

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of colour
blindness; the action is carried by the shape, so the map still reads in greyscale.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Fixed sides first: the same side keeps the same colour on every map.
FIXED_COLOURS: tuple[tuple[str, str], ...] = (
    ("Ukraine", "#0072B2"),
    ("Russia", "#D55E00"),
    ("third party", "#009E73"),
    ("unknown", "#8C8C8C"),
)
# Other claimants (other wars, other parties) take the rest of Okabe-Ito in name order. Yellow
# (#F0E442) is left out: it disappears on the light background.
SPARE_COLOURS: tuple[str, ...] = ("#E69F00", "#CC79A7", "#56B4E9", "#000000")
UNKNOWN_COLOUR = "#8C8C8C"
LEGEND_INK = "#4D4D4D"

ICON_SIZE = 28  # px; the symbol sits in the middle, a badge may sit in the top right corner
_C = ICON_SIZE / 2


def _star(points: int, outer: float, inner: float) -> str:
    """Path of a star centred in the icon, first point up."""
    coords = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points
        coords.append(f"{_C + radius * math.sin(angle):.2f} {_C - radius * math.cos(angle):.2f}")
    return "M" + " L".join(coords) + " Z"


# One shape per action, each drawn pointing up in a 28 x 28 box centred on (14, 14).
_SHAPES: tuple[tuple[str, str], ...] = (
    ("advance", "M14 3 L23 13 L17.5 13 L17.5 25 L10.5 25 L10.5 13 L5 13 Z"),  # arrow
    ("capture", _star(5, 11.5, 5.0)),
    ("attack", "M14 2.5 L25.5 14 L14 25.5 L2.5 14 Z"),  # diamond
    ("repel", "M14 3 L23 6.5 V13 C23 19 19 23.5 14 25.5 C9 23.5 5 19 5 13 V6.5 Z"),  # shield
    ("withdraw", "M4 6 L24 6 L14 24 Z"),  # triangle pointing down
    ("strike", _star(8, 12, 5.5)),  # burst
    ("hold", "M5 5 H23 V23 H5 Z"),  # square
    ("other", "M14 5 A9 9 0 1 1 13.99 5 Z"),  # circle
)
# An advance whose direction is not known: a plain triangle, so that no arrow points north by accident.
_ADVANCE_NO_BEARING = "M14 4 L24 22 L4 22 Z"
ACTION_ORDER: tuple[str, ...] = tuple(name for name, _ in _SHAPES)


def shape_path(action: str, *, has_bearing: bool = True) -> str:
    """SVG path data of the symbol of an action ("other" for actions not in the contract)."""
    if action == "advance" and not has_bearing:
        return _ADVANCE_NO_BEARING
    return dict(_SHAPES).get(action, dict(_SHAPES)["other"])


def claimant_palette(claimants: Iterable[str | None]) -> dict[str, str]:
    """Colour of each claimant.

    Parameters
    ----------
    claimants
        The claimant values present in the data (``None`` stands for "unknown").

    Returns
    -------
    dict
        Claimant name -> ``#rrggbb``; fixed sides match case-insensitively, other names take the
        spare colours in sorted order (grey once they run out), so the same data always gets the
        same colours.
    """
    fixed = {name.casefold(): colour for name, colour in FIXED_COLOURS}
    names = sorted({c for c in claimants if c})
    palette: dict[str, str] = {}
    others = [c for c in names if c.casefold() not in fixed]
    for name in (c for c in names if c.casefold() in fixed):
        palette[name] = fixed[name.casefold()]
    for i, name in enumerate(others):
        palette[name] = SPARE_COLOURS[i] if i < len(SPARE_COLOURS) else UNKNOWN_COLOUR
    return palette


def colour_of(claimant: object, palette: Mapping[str, str]) -> str:
    """Colour of one claimant value, grey for anything unknown."""
    return palette.get(claimant, UNKNOWN_COLOUR) if isinstance(claimant, str) else UNKNOWN_COLOUR


def legend_order(claimants: Iterable[str]) -> list[str]:
    """Claimants in legend order: the fixed sides in their order, then the others by name."""
    rank = {name.casefold(): i for i, (name, _) in enumerate(FIXED_COLOURS)}
    return sorted(set(claimants), key=lambda c: (rank.get(c.casefold(), len(rank)), c))


@dataclass(frozen=True, slots=True)
class Mark:
    """How one claim's marker looks.

    Attributes
    ----------
    action
        One of the contract's actions; anything else draws as "other".
    colour
        Fill colour (the claimant's).
    bearing_deg
        Rotation of an advance's arrow, clockwise from north; ``None`` draws an unrotated triangle.
    denied
        A denial: drawn hollow.
    unverified
        The source could not verify it: a lighter fill (a fainter outline for a hollow denial);
        its area gets a dashed outline.
    contested
        Another side contradicts it: an "!" badge in the corner.
    """

    action: str
    colour: str
    bearing_deg: float | None = None
    denied: bool = False
    unverified: bool = False
    contested: bool = False


# A soft dark halo that keeps a symbol readable on any background; inside the symbol's own SVG so
# that the browser rasterises it once per symbol image, not once per marker on screen.
_HALO = (
    '<defs><filter id="h" x="-20%" y="-20%" width="140%" height="140%">'
    '<feDropShadow dx="0" dy="0" stdDeviation="0.7" flood-color="#000000" flood-opacity="0.55"/>'
    "</filter></defs>"
)


def marker_svg(mark: Mark, *, claim_id: str = "", size: int = ICON_SIZE, halo: bool = False) -> str:
    """The marker of one claim as an inline SVG string.

    Parameters
    ----------
    mark
        What to draw.
    claim_id
        Written into a ``data-claim-id`` attribute (escaped) so that tests and scripts can find the
        marker of a claim in the page.
    size
        Width and height in CSS pixels.
    halo
        Draw the symbol's shadow inside the SVG (for marker images; the legend's inline symbols
        get theirs from CSS).

    Returns
    -------
    str
        An ``<svg>`` element; every value in it is either a number, a colour from the palette or
        escaped text.
    """
    has_bearing = mark.bearing_deg is not None and math.isfinite(mark.bearing_deg)
    path = shape_path(mark.action, has_bearing=has_bearing)
    rotate = ""
    if mark.action == "advance" and has_bearing:
        assert mark.bearing_deg is not None  # narrowed by has_bearing
        rotate = f' transform="rotate({mark.bearing_deg % 360:.1f} {_C:g} {_C:g})"'
    if mark.denied:
        # Hollow: a white inside keeps the shape readable over areas and other markers.
        paint = f'fill="#ffffff" stroke="{mark.colour}" stroke-width="2.6"'
    else:
        paint = f'fill="{mark.colour}" stroke="#ffffff" stroke-width="1.6"'
    if mark.unverified and not mark.denied:
        # Lighter fill, outlined in its own colour (a white outline vanishes on a light fill).
        # Most wire reports cannot verify, so this is the common look and must stay crisp.
        paint = f'fill="{mark.colour}" fill-opacity="0.45" stroke="{mark.colour}" stroke-width="1.6"'
    elif mark.unverified:
        paint += ' stroke-opacity="0.6"'  # a dashed outline on a hollow burst reads as noise
    data = f' data-claim-id="{html.escape(claim_id, quote=True)}"' if claim_id else ""
    parts = [
        f'<svg class="fm-symbol" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}"'
        f' viewBox="0 0 {ICON_SIZE} {ICON_SIZE}"{data} aria-hidden="true">',
        _HALO if halo else "",
        '<g filter="url(#h)">' if halo else "",
        f'<path d="{path}" {paint} stroke-linejoin="round"{rotate}/>',
    ]
    if mark.contested:
        parts.append(
            '<circle cx="22.5" cy="5.5" r="5.2" fill="#000000" stroke="#ffffff" stroke-width="1"/>'
            '<path d="M22.5 2.6 V6.4 M22.5 8.1 V8.5" stroke="#ffffff" stroke-width="1.8"'
            ' stroke-linecap="round"/>'
        )
    parts.append("</g></svg>" if halo else "</svg>")
    return "".join(parts)


def swatch_svg(colour: str, *, size: int = 14) -> str:
    """A filled circle in a claimant's colour, for the legend."""
    r = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}"'
        f' aria-hidden="true"><circle cx="{r:g}" cy="{r:g}" r="{r - 1:g}" fill="{colour}"'
        ' stroke="#ffffff" stroke-width="1"/></svg>'
    )
