"""The report's pictures as inline SVG, drawn in Python with a fixed layout.

- :func:`debt_bar_chart`: debt hours per object, one horizontal bar per object, split into the
  rule families that make it up;
- :func:`neighbourhood_diagram`: a hot spot in the middle, what depends on it directly on an
  inner ring and what depends on those on an outer ring, each drawn as a line to the element it
  depends on.

No randomness: positions come from sorted order only, numbers are written with one decimal, so
the same assessment gives the same bytes. The SVG carries no ``xmlns`` (inline SVG in HTML does
not need it), no scripts, links or external references; every picture has a ``<title>`` and a
text alternative in the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape

from cfglint.debt import Breakdown, HotSpot, Neighbour
from cfglint.reports import FAMILY_WORDS, kind_words, short_name

#: Colours per rule family (bars) and per node kind (diagrams); print-safe, colour-blind aware.
FAMILY_COLOURS: dict[str, str] = {
    "DEBT": "#e15759", "REQ": "#4e79a7", "VIEW": "#f28e2b", "PIPE": "#59a14f",
    "DATA": "#b8a020", "INTG": "#b07aa1", "TIME": "#76b7b2", "CFG": "#8c8c8c",
}
KIND_COLOURS: dict[str, str] = {
    "field": "#4e79a7", "automation": "#e15759", "view": "#f28e2b", "report": "#59a14f",
    "validation-rule": "#b07aa1", "object": "#9c755f", "record-type": "#76b7b2",
    "picklist-value": "#b8a020", "profile": "#8c8c8c", "list-view": "#ff9da7",
}
OTHER_COLOUR = "#6b6b6b"
INK = "#1f2933"
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\""

BAR_ROWS = 15
LABEL_WIDTH = 220
BAR_AREA = 620
ROW_HEIGHT = 24


def _f(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, content: str, extra: str = "") -> str:
    return f'<text x="{_f(x)}" y="{_f(y)}"{extra}>{escape(content)}</text>'


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- bar chart -----------------------------------------------------------------------------------


def debt_bar_chart(rows: Iterable[Breakdown], title: str = "Debt hours by object") -> str:
    """Horizontal bars of the :data:`BAR_ROWS` objects with the most debt, split by family."""
    shown = [row for row in rows if row.debt_hours > 0][:BAR_ROWS]
    if not shown:
        return ""
    families = sorted({family for row in shown for family in row.by_family})
    largest = max(row.debt_hours for row in shown)
    width = LABEL_WIDTH + BAR_AREA + 80
    labels = [(FAMILY_COLOURS.get(family, OTHER_COLOUR), FAMILY_WORDS.get(family, family))
              for family in families]
    legend, legend_height = _legend(labels, LABEL_WIDTH, 14, width - 8, 12)
    height = legend_height + 14 + ROW_HEIGHT * len(shown) + 8
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="bars-title" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" {FONT} font-size="12">',
        f'<title id="bars-title">{escape(title)}</title>',
        *legend,
    ]
    for index, row in enumerate(shown):
        parts.extend(_bar(row, families, largest, legend_height + 14 + index * ROW_HEIGHT))
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(
    labels: list[tuple[str, str]], left: float, top: float, right: float, font_size: float
) -> tuple[list[str], float]:
    """Colour swatches with their labels, wrapped onto new lines at ``right``; returns the
    parts and the y of the last line. Label widths are estimated (0.6 em per character)."""
    parts = []
    x, y = left, top
    for colour, label in labels:
        width = 24 + 0.6 * font_size * len(label)
        if x + width > right and x > left:
            x, y = left, y + font_size + 6
        parts.append(f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="10" height="10" '
                     f'fill="{colour}"/>')
        parts.append(_text(x + 14, y, label, f' fill="{INK}"'))
        x += width
    return parts, y


def _bar(row: Breakdown, families: list[str], largest: float, top: float) -> list[str]:
    middle = top + ROW_HEIGHT / 2 + 4
    parts = [_text(LABEL_WIDTH - 8, middle, _shorten(row.name, 29),
                   f' text-anchor="end" fill="{INK}"')]
    x = float(LABEL_WIDTH)
    for family in families:
        hours = row.by_family.get(family, 0.0)
        if hours <= 0:
            continue
        width = BAR_AREA * hours / largest
        parts.append(
            f'<rect x="{_f(x)}" y="{_f(top + 4)}" width="{_f(max(width, 0.5))}" '
            f'height="{ROW_HEIGHT - 8}" fill="{FAMILY_COLOURS.get(family, OTHER_COLOUR)}">'
            f"<title>{escape(f'{row.name}: {family} {hours:.1f} h')}</title></rect>"
        )
        x += width
    parts.append(_text(x + 6, middle, f"{row.debt_hours:.1f} h", f' fill="{INK}"'))
    return parts


# --- neighbourhood diagram -----------------------------------------------------------------------

SIZE = 460
TOP = 28.0  # room for the hot spot's name above the rings
CENTRE_X, CENTRE_Y = SIZE / 2, TOP + SIZE / 2
INNER = 72.0
OUTER = 205.0
INNER_LIMIT = 16
OUTER_LIMIT = 48
LABEL_CHARACTERS = 18

Point = tuple[float, float]


def neighbourhood_diagram(spot: HotSpot, ident: str) -> str:
    """The hot spot in the middle, its direct dependents on the inner ring (labelled along
    their ray) and, in the same sector, the dependents of each of those on the outer ring."""
    inner = [item for item in spot.neighbourhood if item.distance == 1][:INNER_LIMIT]
    angles = {item.element_id: _angle(index, len(inner)) for index, item in enumerate(inner)}
    outer = _outer_ring(spot.neighbourhood, inner, angles)
    positions: dict[str, Point] = {spot.element_id: (CENTRE_X, CENTRE_Y)}
    positions.update((element, _point(angle, INNER)) for element, angle in angles.items())
    positions.update((item.element_id, _point(angle, OUTER)) for item, angle in outer)
    kinds = sorted({item.kind for item in [*inner, *(item for item, _ in outer)]})
    labels = [(KIND_COLOURS.get(kind, OTHER_COLOUR), kind_words(kind)) for kind in kinds]
    legend, last_line = _legend(labels, 8, TOP + SIZE + 8, SIZE - 8, 10)
    height = last_line + 10
    parts = [
        f'<svg class="diagram" role="img" aria-labelledby="{ident}-title" width="{SIZE}" '
        f'height="{_f(height)}" viewBox="0 0 {SIZE} {_f(height)}" {FONT} font-size="10">',
        f'<title id="{ident}-title">{escape(_diagram_title(spot))}</title>',
        _text(CENTRE_X, 16, _shorten(spot.element_id, 60),
              f' text-anchor="middle" fill="{INK}" font-weight="bold" font-size="12"'),
        *_edges([*inner, *(item for item, _ in outer)], positions),
        *(_dot(item, positions[item.element_id], 4) for item, _ in outer),
        *(_dot(item, positions[item.element_id], 6) for item in inner),
        *(_label(item, angles[item.element_id], spot.object_name) for item in inner),
        *_centre(spot),
        *_more_note(spot, len(inner) + len(outer), height),
        *legend,
        "</svg>",
    ]
    return "\n".join(parts)


def _diagram_title(spot: HotSpot) -> str:
    return (f"What depends on {spot.element_id}: {spot.blast_radius} components in all; "
            "direct dependents on the inner ring, theirs on the outer ring")


def _angle(index: int, count: int) -> float:
    """Evenly spaced, starting at the top, clockwise."""
    return 2 * math.pi * index / max(count, 1) - math.pi / 2


def _point(angle: float, radius: float) -> Point:
    return CENTRE_X + radius * math.cos(angle), CENTRE_Y + radius * math.sin(angle)


def _outer_ring(
    neighbourhood: tuple[Neighbour, ...], inner: list[Neighbour], angles: dict[str, float]
) -> list[tuple[Neighbour, float]]:
    """Second-step dependents of the drawn inner nodes with their angles: each inner node's
    dependents spread over its sector of the circle, at most an equal share of
    :data:`OUTER_LIMIT` per inner node."""
    if not inner:
        return []
    share = max(1, OUTER_LIMIT // len(inner))
    sector = 2 * math.pi / len(inner)
    placed: list[tuple[Neighbour, float]] = []
    for parent in inner:
        children = [item for item in neighbourhood
                    if item.distance == 2 and item.via == parent.element_id][:share]
        for index, child in enumerate(children):
            offset = sector * ((index + 0.5) / len(children) - 0.5) * 0.9
            placed.append((child, angles[parent.element_id] + offset))
    return placed


def _edges(items: list[Neighbour], positions: dict[str, Point]) -> list[str]:
    parts = []
    for item in items:
        if item.via not in positions:
            continue
        (x1, y1), (x2, y2) = positions[item.element_id], positions[item.via]
        parts.append(f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" '
                     'stroke="#bcc5cf" stroke-width="1"/>')
    return parts


def _dot(item: Neighbour, point: Point, radius: int) -> str:
    """A dot coloured by kind, with the element as its tooltip."""
    colour = KIND_COLOURS.get(item.kind, OTHER_COLOUR)
    return (f'<circle cx="{_f(point[0])}" cy="{_f(point[1])}" r="{radius}" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1">'
            f"<title>{escape(f'{kind_words(item.kind)} {item.element_id}')}</title></circle>")


def _label(item: Neighbour, angle: float, owner: str) -> str:
    """The element's short name along its ray, outwards from the dot, upright on both sides,
    with a white halo so the lines under it do not hide it."""
    x, y = _point(angle, INNER + 10)
    degrees = math.degrees(angle)
    right = math.cos(angle) >= -1e-9
    rotation = degrees if right else degrees + 180
    anchor = "start" if right else "end"
    name = _shorten(label_name(item.element_id, owner), LABEL_CHARACTERS)
    return _text(x, y + 3, name,
                 f' text-anchor="{anchor}" transform="rotate({_f(rotation)} {_f(x)} {_f(y)})"'
                 f' fill="{INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke"')


def _centre(spot: HotSpot) -> list[str]:
    return [
        f'<circle cx="{_f(CENTRE_X)}" cy="{_f(CENTRE_Y)}" r="14" fill="{INK}">'
        f"<title>{escape(spot.element_id)}</title></circle>",
        _text(CENTRE_X, CENTRE_Y + 4, str(spot.blast_radius),
              ' text-anchor="middle" fill="#ffffff" font-weight="bold"'),
    ]


def _more_note(spot: HotSpot, drawn: int, height: float) -> list[str]:
    hidden = spot.blast_radius - drawn
    if hidden <= 0:
        return []
    return [_text(SIZE - 8, TOP + SIZE - 2, f"+{hidden} more not drawn",
                  f' text-anchor="end" fill="{INK}"')]


def label_name(element_id: str, owner: str) -> str:
    """The shortest name that still tells an element apart in a picture of ``owner``'s
    neighbourhood: a pick-list value's value, a stage's or report's last segment, else the name
    without the object in front."""
    name = short_name(element_id, owner)
    if "=" in name:
        return name.rpartition("=")[2]
    if "/" in name:
        return name.rpartition("/")[2]
    return _without_owner(name, owner)


def _without_owner(name: str, owner: str) -> str:
    """``Opportunity_Close_Won_Handoff`` -> ``Close_Won_Handoff`` on an Opportunity picture;
    ``Opportunity-Sales Layout`` -> ``Sales Layout``."""
    for separator in ("_", "-", "."):
        prefix = owner + separator
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name
