"""The ledger's state: events filed per item and unit, their ids, and the facts rules read."""
