"""Models: one module per aggregate, each subclassing `app.db.base.Base`.

Importing this package imports every module in it, so `Base.metadata` lists every
table for Alembic and the tests. A new model module needs no registration here.
"""

from app.common.modules import import_submodules
from app.db.base import Base

import_submodules(__name__)

__all__ = ["Base"]
