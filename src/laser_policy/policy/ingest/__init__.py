"""Turning a policy document's text into its parts: noise, outline, units, annex tables."""
