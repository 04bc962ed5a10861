"""Frozen dataclasses built in bulk (a national config's 48,000 targets, a year's 21,000 indicator results)."""

from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from collections.abc import Callable
from dataclasses import fields
from functools import wraps

_MAKERS: dict[type, Callable] = {}


def maker(kind: type) -> Callable:
    """A function making an instance of the frozen dataclass `kind` from the values of all its fields, in order —
    what `kind(*values)` gives, without its __init__ setting each field through object.__setattr__ (a third of
    the cost of building many): each field stored into the instance's dictionary, written for `kind` as
    dataclasses writes an __init__ (the values of 48,000 targets zipped with their names cost as much again; one
    `update` by keyword first builds a dictionary of the keywords: a quarter more than the stores). Only for
    classes without __post_init__."""
    make = _MAKERS.get(kind)
    if make is None:
        names = [f.name for f in fields(kind)]
        values = [f"v{i}" for i in range(len(names))]
        namespace = {"new": object.__new__, "kind": kind}
        source = (f"def make({', '.join(values)}):\n    instance = new(kind)\n    fields = instance.__dict__\n"
                  + "".join(f"    fields[{n!r}] = {v}\n" for n, v in zip(names, values)) + "    return instance\n")
        # a file name of its own for each kind: profiles (pstats keys on file, line and name) keep them apart
        exec(compile(source, f"<make {kind.__qualname__}>", "exec"), namespace)
        make = _MAKERS[kind] = namespace["make"]
    return make


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while many objects are built that hold no cycles: each run of
    it scans every object alive, a national config's among them (a quarter of scoring 2,800 units). What the
    pause leaves alive then joins the oldest generation unscanned (`gc.freeze` then `gc.unfreeze`, two list
    splices): else the collector's first young pass after it walks every object made meanwhile (190,000 for a
    year of 10,000 units, 65 ms), though they are kept — a year's result, a config. A cycle left as garbage by
    then waits for the next full collection; none is moved while another part of the program keeps objects frozen.
    Another thread's pause that ends first turns the collector back on: that costs time, never memory."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def per_object(function: Callable) -> Callable:
    """`function(value, *args)` of a frozen value remembered for that very object while it lives, with the last
    other arguments it was asked with: keyed by the object's id, dropped when the object is freed (a weak
    reference's callback), so that no other object meets its entry — the workbook and the PDF's cards word the
    same 21,467 indicator results of a year once (a key of the result's own fields would hash them all each time)."""
    memo: dict[int, tuple] = {}

    @wraps(function)
    def remembered(value, *args):
        key = id(value)
        entry = memo.get(key)
        if entry is not None and entry[1] == args:
            return entry[2]
        found = function(value, *args)
        ref = entry[0] if entry is not None else weakref.ref(value, lambda _, key=key: memo.pop(key, None))
        memo[key] = (ref, args, found)
        return found

    remembered.memo = memo
    return remembered
