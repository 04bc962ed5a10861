"""Wall time of the meeting documents (xlsx, docx, pdf) — run by hand, not a test.

Targets: all three documents for the nine demo cities in under 3 s, for 330 units in under 15 s.
Wall time is what counts; CPU time is printed beside it because on a shared machine the wall time
also measures the other processes (the two agree on a quiet machine).

    .venv/bin/python benchmarks/bench_exports.py [units ...]     # default: 330
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import SHIPPED, build  # noqa: E402

from scorecard.demo import build_demo  # noqa: E402
from scorecard.exports import FORMATS, export  # noqa: E402
from scorecard.scoring import score_year  # noqa: E402
from scorecard.store import Store  # noqa: E402
from scorecard.validation import load_config  # noqa: E402

YEAR = 2003
TARGETS = {9: 3.0, 330: 15.0}


def bench(label: str, config, store, target: float | None) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    result = score_year(config, store, YEAR)
    print(f"\n{label}: {len(result.cities)}个单位，{YEAR}年截至{result.month}月")
    print(f"  score_year   {time.perf_counter() - start:6.2f} s  (CPU {time.process_time() - cpu:5.2f} s)")
    total = total_cpu = 0.0
    for kind in FORMATS:
        start, cpu = time.perf_counter(), time.process_time()
        data = export(kind, result, config, store)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
        total, total_cpu = total + elapsed, total_cpu + used
        print(f"  {kind:<12} {elapsed:6.2f} s  (CPU {used:5.2f} s)  {len(data) / 1024:8,.0f} KB")
    verdict = "" if target is None else f"   目标 < {target:g} s：{'达到' if total < target else '未达到'}"
    print(f"  三个文件合计 {total:6.2f} s  (CPU {total_cpu:5.2f} s){verdict}")


def warm_up() -> None:
    """Imports are paid once per process (the app keeps them); time them apart from the documents."""
    start = time.perf_counter()
    import matplotlib.figure  # noqa: F401

    from scorecard.exports import excel, pdf, word  # noqa: F401
    from scorecard.exports.fonts import find_fonts

    find_fonts()
    print(f"导入模块并查找字体（每个进程一次）：{time.perf_counter() - start:.2f} s")


def main(sizes: list[int]) -> None:
    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        config, _ = load_config(SHIPPED)
        store = Store(Path(tmp) / "demo.duckdb")
        build_demo(store, config)
        bench("演示数据", config, store, TARGETS[9])
        for n in sizes:
            start = time.perf_counter()
            config, store = build(n, Path(tmp) / f"synthetic-{n}")
            print(f"\n（生成{n}个单位的合成数据：{time.perf_counter() - start:.1f} s）")
            bench("合成数据", config, store, TARGETS.get(n))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [330])
