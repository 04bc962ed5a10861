"""Where the derivations and rule checks run. Both are Ibis expressions written once (derive.py, checks.py):
DuckDB runs them on the person-records file here (the default); Apache Spark, through Ibis's pyspark backend,
runs the same expressions for the country (`--engine spark`, records.yaml `spark:`). `fetched` makes an
expression's rows the same frame whichever engine ran it."""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from .schemas import tables
from .settings import SparkSettings
from .store import PersonStore

ENGINES = ("duckdb", "spark")

SPARK_CONF = {
    "spark.app.name": "scorecard",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
}
# Spark on this machine (a local[…] master): a province's records, not a country's — few shuffle partitions, no
# web UI, nothing listening beyond the loopback address, and the JVM's quick compiler only (runs of seconds).
# A cluster keeps its own settings (spark-defaults.conf in SPARK_CONF_DIR).
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
}


@contextmanager
def connected(engine: str, store: PersonStore, spark: SparkSettings | None = None):
    """An Ibis connection that holds the person-record tables (`spark`: records.yaml's, for that engine)."""
    import ibis

    if engine == "spark":
        yield ibis.pyspark.connect(_SPARK.session(store, spark or SparkSettings()))
        return   # the session stays for the next connection of this process: starting one takes seconds
    if not store.exists():
        raise InputError(store.missing())
    con = ibis.duckdb.connect(str(store.path), read_only=True)
    try:
        yield con
    finally:
        con.disconnect()


def fetched(expr):
    """The rows of `expr` as a pandas frame, the same on every engine. The dtypes already follow the expression's
    schema on both (Ibis converts each engine's result to it); what engines may differ in is the order of rows
    an expression leaves open, so the rows are put in the expression's order with ties, and an expression without
    one, broken by every column in turn."""
    from ibis.expr import operations as ops

    frame = expr.to_pandas()
    if frame.empty:
        return frame.reset_index(drop=True)
    op, keys, ascending = expr.op(), [], []
    for key in op.keys if isinstance(op, ops.Sort) else ():
        if isinstance(key.arg, ops.Field) and key.arg.name not in keys:
            keys.append(key.arg.name)
            ascending.append(key.ascending)
    rest = [c for c in frame.columns if c not in keys]
    return frame.sort_values(keys + rest, ascending=ascending + [True] * len(rest), kind="stable",
                             na_position="last").reset_index(drop=True)


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


class _Spark:
    """The one SparkSession of this process, started when first needed, with a private folder (the person
    tables exported as Parquet, Spark's scratch files, its log), and what its tables were last read from."""

    def __init__(self):
        self._lock = threading.Lock()
        self._session = None
        self._master = None
        self._folder: Path | None = None
        self._source = None

    def session(self, store: PersonStore, settings: SparkSettings):
        with self._lock:
            source = settings.parquet or _stamp(store)
            if self._session is None or self._master != settings.master or self._stopped():
                self._start(settings.master)
            if source != self._source:
                self._register(store, settings.parquet)
                self._source = source
            return self._session

    def _stopped(self) -> bool:
        return self._session.sparkContext._jsc is None

    def _start(self, master: str) -> None:
        if importlib.util.find_spec("pyspark") is None:
            raise InputError("Spark 引擎未安装：需要安装 pyspark（pip install -e '.[spark]'），或使用 --engine duckdb")
        if _java() is None:
            raise InputError("Spark 引擎需要 Java 运行环境，但没有找到 java：请安装（Debian：apt-get install "
                             "default-jre-headless）或设置 JAVA_HOME，或使用 --engine duckdb")
        from pyspark import SparkConf, SparkContext
        from pyspark.java_gateway import launch_gateway
        from pyspark.sql import SparkSession

        if self._session is not None:
            self._session.stop()
        self._folder = Path(tempfile.mkdtemp(prefix="scorecard-spark-"))   # only this user may read it
        conf = SparkConf().setMaster(master).setAll(list(SPARK_CONF.items()))
        if master.startswith("local"):
            conf.setAll(list(LOCAL_CONF.items())).set("spark.local.dir", str(self._folder / "scratch"))
        log = self._folder / "spark.log"
        # the JVM's messages (English, and many) go to the log, not to the terminal of the user
        with open(log, "ab") as out:
            try:
                gateway = SparkContext._gateway or launch_gateway(conf, {"stdout": out, "stderr": out})
                context = SparkContext(conf=conf, gateway=gateway)
            except Exception as exc:
                raise InputError(f"Spark 无法启动（master {master}），详见日志 {log}") from exc
        context.setLogLevel("ERROR")
        atexit.register(shutil.rmtree, self._folder, True)
        self._session, self._master, self._source = SparkSession(context), master, None

    def _register(self, store: PersonStore, parquet: str | None) -> None:
        """Every person table as a view of the session under its own name: from the configured Parquet folder,
        else exported from the person-records file."""
        if parquet is None:
            folder = self._folder / "tables"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            with store.reader() as con:
                for code in tables():
                    con.execute(f"COPY {code} TO '{folder / code}.parquet' (FORMAT parquet)")
            parquet = str(folder)
        for code in tables():
            path = f"{parquet.rstrip('/')}/{code}.parquet"
            try:
                self._session.read.parquet(path).createOrReplaceTempView(code)
            except Exception as exc:
                raise InputError(f"Spark 读不到个人记录表 {tables()[code].name}（{path}）：请检查 records.yaml 中 "
                                 "spark.parquet 的目录") from exc


def _stamp(store: PersonStore) -> tuple:
    """Which person-records file, as it is now: exported again once an import has changed it."""
    if not store.exists():
        raise InputError(store.missing())
    stat = store.path.stat()
    return (str(store.path.absolute()), stat.st_mtime_ns, stat.st_size)


_SPARK = _Spark()
