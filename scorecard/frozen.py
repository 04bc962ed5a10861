"""Frozen dataclasses built in bulk (a national config's 48,000 targets, a year's 21,000 indicator results)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import fields

_FIELDS: dict[type, tuple[str, ...]] = {}


def made(kind: type, values):
    """An instance of the frozen dataclass `kind` from the values of all its fields, in order — what `kind(*values)`
    gives, without its __init__ setting each field through object.__setattr__ (a third of the cost of building
    many). Only for classes without __post_init__."""
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in fields(kind))
    instance = object.__new__(kind)
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while many objects are built that hold no cycles: each run of
    it scans every object alive, a national config's among them (a quarter of scoring 2,800 units). Another
    thread's pause that ends first turns it back on: that costs time, never memory."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
