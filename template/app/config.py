"""Settings of this service, read once from the environment (and `.env` in development).

This file is yours: the template writes it once and never changes it. The sections of
the template's own parts (`DATABASE_*`, `LOG_*`, ...) come from `ServiceSettings` in
`app/common/settings.py`, which template updates keep current. Add a section for a
part of your own here: a nested model plus a field on `Settings`, read from
`<FIELD>_<NAME>` variables (a field `invoices` with `due_days` reads `INVOICES_DUE_DAYS`).
"""

from functools import lru_cache

from app.common.settings import ServiceSettings


class Settings(ServiceSettings):
    """The service's settings: the template's sections plus yours."""


@lru_cache
def get_settings() -> Settings:
    return Settings()
