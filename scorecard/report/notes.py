"""The notes every view and document attaches to a result: what marks demo data."""

DEMO_LABEL = "演示数据"
