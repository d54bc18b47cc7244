"""The command line's work: each command, the checks of `assessment check`, safe output files."""
