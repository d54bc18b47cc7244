"""Foundations every stage may use: exact arithmetic, memoised builds."""
