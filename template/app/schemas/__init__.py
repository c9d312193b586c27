"""Pydantic request and response shapes: the HTTP boundary, and nowhere below it."""
