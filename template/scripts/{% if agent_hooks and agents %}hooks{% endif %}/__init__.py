"""Thin adapters from each agent's project hooks to scripts/guard.py."""
