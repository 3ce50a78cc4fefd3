"""Applying what Meta delivers: messages, statuses, template and number changes, and the flows
they start."""
