"""Repositories: load and store aggregates; they flush and never commit or begin."""
