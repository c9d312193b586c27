"""Application services: one public method per use case, each owning its transaction."""
