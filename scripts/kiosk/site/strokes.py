"""Handwriting's second reader: a drawing compared with the stroke medians of the catalogue's own characters.

Zinnia's model (kiosk.site.handwriting) knows 6,763 characters and reads some of the catalogue's badly
(医, 女, 进 are not among its first thousand guesses). So the build also keeps, for each character of the
catalogue's names and 俗称, its strokes as a stroke-order dataset draws them: hanzi-writer-data (npm, derived
from Make Me a Hanzi and the Arphic fonts), whose `<char>.json` gives each stroke's median, the line along its
middle, in a 1024 box with y pointing up and the baseline at 900. `medians` picks the catalogue's characters
from it at build time (assets/kiosk-strokes.json, the licence beside it); `kiosk serve` loads them as
`Templates` and measures a drawing against every one.

The comparison is a picture of where the lines run and which way: every stroke is cut into short pieces,
each piece placed relative to the drawing's centre and size (the centroid and the radius of gyration of
the ink, so where and how large it is written in the box does not matter) and its length added to a grid
of GRID × GRID cells, spread over nearby cells by a gaussian, in 4 orientations (— / | \\), shared between
the two nearest. The pictures, scaled to length 1, are compared by their Euclidean distance. The order,
the direction and the number of strokes play no part: a finger that joins two strokes, draws one
backwards or in another order gives nearly the same picture. Measured in the README (handwriting).
"""

from __future__ import annotations

import functools
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where a drawing is compared (`kiosk serve`), not by a build (the medians)
    import numpy as np

GRID = 12  # cells a side
SPREAD = 0.6  # a piece's gaussian, in cells
EXTENT = 2.2  # the grid reaches this many radii of gyration either side of the centroid
ORIENTATIONS = 4  # — / | \ : a line drawn either way has the same orientation
STEP = 0.1  # pieces at most this long, in radii of gyration
DATASET = "hanzi-writer-data"
LICENCE = "ARPHICPL.TXT"


class Templates:
    """The pictures of some characters, to measure drawings against."""

    def __init__(self, medians: dict[str, list]):
        import numpy as np

        self.chars = list(medians)
        pictures = [picture(strokes) for strokes in medians.values()]
        self.pictures = np.array(pictures).reshape(len(self.chars), ORIENTATIONS * GRID * GRID)
        self.squares = (self.pictures**2).sum(1)  # 1, or 0 for a character of dots

    @classmethod
    def load(cls, path: Path | str) -> Templates:
        """The templates a build wrote (assets/kiosk-strokes.json)."""
        return cls(json.loads(Path(path).read_text("utf-8"))["medians"])

    def distances(self, strokes) -> dict[str, float]:
        """How far the drawing `strokes` (points, y pointing down) is from each character: 0 the same
        picture, 2 nothing in common."""
        import numpy as np

        drawn = picture(strokes)
        squared = self.squares + drawn @ drawn - 2 * (self.pictures @ drawn)  # |t - d|², without a 303 × 576 copy
        return dict(zip(self.chars, np.sqrt(np.maximum(squared, 0)).tolist()))


def picture(strokes) -> np.ndarray:
    """The drawing's picture: ORIENTATIONS × GRID × GRID numbers of length 1 (all 0 for a drawing of dots)."""
    import numpy as np

    pieces = [np.asarray(s, dtype=float) for s in strokes if len(s) > 1]
    if not pieces:
        return np.zeros(ORIENTATIONS * GRID * GRID)
    start = np.concatenate([p[:-1] for p in pieces])
    move = np.concatenate([np.diff(p, axis=0) for p in pieces])
    length = np.hypot(move[:, 0], move[:, 1])
    if not length.sum():
        return np.zeros(ORIENTATIONS * GRID * GRID)
    # the ink's centroid and radius of gyration (each line's own spread, length² / 12, included)
    middle = start + move / 2
    centre = (middle * length[:, None]).sum(0) / length.sum()
    spread = (((middle - centre) ** 2).sum(1) + length**2 / 12) @ length / length.sum()
    radius = math.sqrt(spread) or 1.0
    # each line cut into pieces of at most STEP radii, each piece at its middle
    cuts = np.maximum(1, np.ceil(length / (STEP * radius))).astype(int)
    line = np.repeat(np.arange(len(length)), cuts)
    within = (np.arange(cuts.sum()) - np.repeat(np.cumsum(cuts) - cuts, cuts) + 0.5) / cuts[line]
    at = (start[line] + move[line] * within[:, None] - centre) / radius
    weight = length[line] / cuts[line]
    # the orientations, each piece shared between the two nearest
    turn = (np.arctan2(move[line, 1], move[line, 0]) % math.pi) / (math.pi / ORIENTATIONS)
    lower = np.floor(turn).astype(int) % ORIENTATIONS
    share = turn - np.floor(turn)
    by_orientation = np.zeros((len(weight), ORIENTATIONS))
    rows = np.arange(len(weight))
    by_orientation[rows, lower] += (1 - share) * weight
    by_orientation[rows, (lower + 1) % ORIENTATIONS] += share * weight
    # the cells, each piece spread by a gaussian
    cell = (at + EXTENT) / (2 * EXTENT) * GRID - 0.5
    centres = np.arange(GRID)
    across = np.exp(-((cell[:, 0, None] - centres) ** 2) / (2 * SPREAD**2))
    down = np.exp(-((cell[:, 1, None] - centres) ** 2) / (2 * SPREAD**2))
    found = np.einsum("no,ny,nx->oyx", by_orientation, down, across).ravel()
    return found / (np.linalg.norm(found) or 1.0)


# ---------------------------------------------------------------- at build time


def medians(chars: str, data: Path) -> dict[str, list]:
    """The medians of each of `chars` that the dataset at `data` (hanzi-writer-data's folder) has, y pointing
    down as on a screen, in its 1024 box: {char: [[[x, y], …] a stroke, …]}. A character it lacks is left
    out (Zinnia alone reads it)."""
    found = {}
    for char in chars:
        try:
            found[char] = _medians(str(data / f"{char}.json"), os.stat(data / f"{char}.json").st_mtime_ns)
        except FileNotFoundError:
            pass
    return found


@functools.lru_cache(maxsize=4096)
def _medians(path: str, mtime_ns: int) -> list:
    """One character's medians, y pointing down; read once per process (a build of every township reads the
    same characters again)."""
    with open(path, "rb") as f:
        return [[[x, 900 - y] for x, y in stroke] for stroke in json.load(f)["medians"]]


def dataset_version(data: Path) -> str | None:
    """The dataset's name and version ("hanzi-writer-data 2.0.1"), None when it is not at `data`."""
    try:
        meta = json.loads((data / "package.json").read_bytes())
    except (OSError, ValueError):
        return None
    return f"{meta.get('name', DATASET)} {meta.get('version', '?')}"
