"""Text in and out: YAML with positions, input-method slips, located problems, safe display."""
