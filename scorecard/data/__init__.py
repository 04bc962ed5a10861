"""The data layer: the monthly actuals in DuckDB — the store, every SQL query, imports (intake, layouts,
sheets, normalize, template), their history and what is still missing (completeness)."""
