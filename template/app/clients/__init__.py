"""External HTTP clients: one module per external system, one long-lived client each."""
