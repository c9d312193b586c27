"""FastAPI Depends providers: the request's session, services and clients."""
