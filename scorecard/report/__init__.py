"""What a viewer is shown, defined once for pages, documents and commands: the ranking as circulated and
the scope of a principal, the palette, notes, target totals, and the JSON/CSV shapes of interfaces.md."""
