"""The registries as small interfaces. Local tables by default; a remote source (the national register
through the Crossroads Bank, BCE/KBO web services, Dimona) replaces one by setting
``REGISTRY_SOURCES[name]`` to the dotted path of another implementation.

Callers use ``national_register()``, ``enterprise_register()`` and ``dimona()``; they get plain records
(or model instances for the local source, which satisfy the same protocol).
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from careerbreak.registries.models import Enterprise, Person


class NationalRegister(Protocol):
    def get_person(self, niss: str) -> Person | None:
        """The person with this compact NISS or BIS number, or None when unknown."""
        ...


class EnterpriseRegister(Protocol):
    def get_enterprise(self, number: str) -> Enterprise | None:
        """The enterprise with this compact enterprise number, or None when unknown."""
        ...


class LocalNationalRegister:
    def get_person(self, niss: str) -> Person | None:
        return Person.objects.filter(niss=niss).first()


class LocalEnterpriseRegister:
    def get_enterprise(self, number: str) -> Enterprise | None:
        return Enterprise.objects.filter(number=number).first()


_DEFAULTS = {
    "national_register": "careerbreak.registries.sources.LocalNationalRegister",
    "enterprise_register": "careerbreak.registries.sources.LocalEnterpriseRegister",
}


@cache
def _source(name: str) -> object:
    configured = getattr(settings, "REGISTRY_SOURCES", {})
    return import_string(configured.get(name, _DEFAULTS[name]))()


def national_register() -> NationalRegister:
    return _source("national_register")  # type: ignore[return-value]


def enterprise_register() -> EnterpriseRegister:
    return _source("enterprise_register")  # type: ignore[return-value]
