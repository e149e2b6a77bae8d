"""Deterministic element names, so that the same input renders to byte-identical HTML.

branca gives every element a random id at construction (``Element._generate_id`` reads
``os.urandom``), and folium writes ``get_name()`` (``<kind>_<id>``) into the page as JavaScript
variable and DOM ids. Rather than patching branca (global state, unsafe with parallel renders),
the finished tree is walked once and every element renumbered in tree order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from branca.element import Element

# Figure and folium's Popup keep extra element trees outside ``_children``.
_SIDE_TREES = ("header", "html", "script")


def _side_trees(element: Element) -> Iterator[Element]:
    for attribute in _SIDE_TREES:
        child = element.__dict__.get(attribute)
        if isinstance(child, Element):
            yield child


def walk(root: Element) -> list[Element]:
    """Every element under ``root`` (itself included), depth-first in document order."""
    stack: list[Element] = [root]
    order: list[Element] = []
    while stack:  # iterative: a deep tree cannot hit the recursion limit
        element = stack.pop()
        order.append(element)
        stack.extend(reversed([*_side_trees(element), *element._children.values()]))
    return order


def assign_ids(root: Element) -> int:
    """Renumber every element under ``root`` (itself included) in depth-first order.

    Children are stored in dicts keyed by their name when no explicit name was given; those keys
    are renamed along, so that nothing random is left anywhere in the tree.

    Parameters
    ----------
    root
        Usually the Figure that holds the map; call this after the tree is complete and before
        rendering it.

    Returns
    -------
    int
        How many elements were numbered.
    """
    counter = 0
    order = walk(root)
    old_names = {id(element): element.get_name() for element in order}
    for element in order:
        element._id = f"{counter:05d}"
        counter += 1
    for element in order:
        element._children = OrderedDict(
            (child.get_name() if key == old_names[id(child)] else key, child)
            for key, child in element._children.items()
        )
    return counter
