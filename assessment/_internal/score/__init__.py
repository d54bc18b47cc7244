"""Scores: one unit's sections and total, outcomes and ranks, the scorer, parallel runs."""
