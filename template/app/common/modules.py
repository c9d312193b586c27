"""Registration by presence: a package's modules are found on disk, not listed by hand.

`app/models/`, `app/api/` and (with the outbox) `app/handlers/` are registries of this
kind: add a module and it takes part, delete it and it is gone. No shared list has to
be edited, so parts of the service come and go without touching each other's lines.
"""

import importlib
import pkgutil
from types import ModuleType


def import_submodules(package_name: str) -> list[ModuleType]:
    """Import every module directly inside `package_name`, in name order, and return them."""
    package = importlib.import_module(package_name)
    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"{package_name}.{name}") for name in names]
