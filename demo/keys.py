"""Person keys: 16 hex digits per simulated person, stable for a seed."""

from __future__ import annotations

import numpy as np


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
