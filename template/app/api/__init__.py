"""HTTP layer: routers, error handlers and middleware.

Every module here that defines a module-level `router` (an `APIRouter`) is served by
`app.main.create_app`; a new resource's routes need no registration elsewhere.
"""
