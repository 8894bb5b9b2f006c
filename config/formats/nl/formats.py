"""Date and number formats for Dutch (FORMAT_MODULE_PATH, issue 15 point 8): what a reader in Belgium
expects, written out here rather than left to Django's defaults, so that the choice is visible and a
Django upgrade cannot change it. Templates and Python use the names (``|date:"SHORT_DATE_FORMAT"``,
``date_format(value, "DATE_FORMAT")``), never a pattern; the API keeps ISO dates.
Belgian Dutch writes a short date with slashes (CLDR nl-BE: d/MM/y), not the Netherlands' 1-12-2013:
the common formats, unchanged."""

from config.formats.common import *  # noqa: F403
