"""Person keys (16 hex digits per simulated person, stable for a seed) and the fixed draws made
from them."""

from __future__ import annotations

import numpy as np
import pandas as pd


def person_keys(seed: int, n: int) -> np.ndarray:
    """16-hex keys from a splitmix64 hash of (seed, serial): deterministic and collision-free."""
    with np.errstate(over="ignore"):
        z = (np.arange(n, dtype=np.uint64) + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)) * np.uint64(1)
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    nibbles = (z[:, None] >> (np.uint64(4) * np.arange(15, -1, -1, dtype=np.uint64))) & np.uint64(15)
    chars = np.frombuffer(b"0123456789abcdef", dtype="S1")[nibbles.astype(np.int64)]
    return chars.view("S16").ravel().astype(str)


def fixed_uniform(keys: np.ndarray, year: np.ndarray) -> np.ndarray:
    """A uniform in [0, 1) per (person, year), fixed by a hash of the two: calibrating one row
    never moves another row's draw, as a shared random stream would. ``keys`` may be person keys
    or row numbers; a caller with several draws per person and year folds a step into ``year``."""
    h = pd.util.hash_pandas_object(pd.DataFrame({"k": keys, "y": year}), index=False).to_numpy()
    return (h >> np.uint64(11)).astype(np.float64) / float(2**53)
