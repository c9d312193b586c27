"""The settings a request runs under: the ones `create_app` was given, not a fresh read."""

from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
