"""``SCHEMATHESIS_HOOKS=altcraft_contract.st_checks``: the stable name schemathesis users load; the
checks and the XML deserializer are ``frontends/st_checks.py`` (importing it registers them there)."""

from .frontends.st_checks import *  # noqa: F403  (the schemathesis hooks, under their documented name)
