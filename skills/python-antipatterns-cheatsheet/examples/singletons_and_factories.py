"""Singleton and Factory, the Python way this codebase uses them.

One instance per process comes from a cached function or from the lifespan that owns
the resource, never from a class that polices its own instantiation. Construction
goes through a classmethod with an intent-revealing name or a plain function.
"""

import dataclasses

import pytest
from sqlalchemy import text

from app.common.exceptions import InvalidInputError
from app.config import Settings, get_settings
from app.deps.resources import Resources, open_resources
from app.main import create_app
from app.models.order import Order, OrderStatus


def test_one_settings_object_per_process_via_a_cached_function() -> None:
    assert get_settings() is get_settings()


def test_tests_build_their_own_settings_instead_of_patching_the_shared_one(
    settings: Settings,
) -> None:
    custom = Settings(_env_file=None, service_name="billing")

    assert custom is not get_settings()
    assert custom.service_name == "billing"
    assert settings.database.url.get_secret_value().startswith("postgresql+asyncpg://")


async def test_long_lived_objects_are_owned_by_a_lifespan(settings: Settings) -> None:
    async with open_resources(settings) as first, open_resources(settings) as second:
        # "Exactly one per running app", not "exactly one per class": two owners, two pools.
        assert first.engine is not second.engine
        async with first.engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1


async def test_the_resource_bundle_is_immutable(settings: Settings) -> None:
    async with open_resources(settings) as resources:
        field = "engine"
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(resources, field, None)
        assert isinstance(resources, Resources)


def test_a_classmethod_constructor_names_the_intent_and_checks_input() -> None:
    order = Order.draft(customer_ref="cust-1")

    assert order.status is OrderStatus.DRAFT
    assert order.lines == []
    with pytest.raises(InvalidInputError):
        Order.draft(customer_ref="   ")


def test_a_factory_is_a_function_that_takes_its_inputs(settings: Settings) -> None:
    one = create_app(settings)
    two = create_app(settings.model_copy(update={"service_name": "other"}))

    assert one is not two
    assert (one.title, two.title) == (settings.service_name, "other")
