"""The pure domain layer: the aggregates' rules in plain Python.

Nothing here imports SQLAlchemy, Pydantic, FastAPI or httpx (an import-linter
contract checks it), so these classes can be tested in microseconds and read
without knowing the persistence mapping. The persistence models in
`app/models/` map to and from them.
"""
