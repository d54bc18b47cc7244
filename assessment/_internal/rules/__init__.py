"""A scheme compiled into plain functions: conditions, the rule kinds, the plan."""
