"""Where the derivations run: DuckDB on the person-records file here; Spark (the pyspark backend of Ibis) for
the country once it is installed and configured."""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager

from ..errors import InputError
from .store import PersonStore

ENGINES = ("duckdb", "spark")


@contextmanager
def connected(engine: str, store: PersonStore):
    """An Ibis connection that holds the person-record tables."""
    if engine == "spark":
        if importlib.util.find_spec("pyspark") is None:
            raise InputError("Spark 引擎未安装：需要安装 pyspark（pip install pyspark）并配置 Spark 集群，"
                             "目前请使用 --engine duckdb")
        raise InputError("Spark 引擎尚未配置：个人记录在 Spark 中的位置还没有设置，目前请使用 --engine duckdb")
    import ibis

    if not store.exists():
        raise InputError(store.missing())
    con = ibis.duckdb.connect(str(store.path), read_only=True)
    try:
        yield con
    finally:
        con.disconnect()
