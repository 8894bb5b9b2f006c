"""Date and number formats for French (FORMAT_MODULE_PATH, issue 15 point 8): what a reader in Belgium
expects, written out here rather than left to Django's defaults, so that the choice is visible and a
Django upgrade cannot change it. Templates and Python use the names (``|date:"SHORT_DATE_FORMAT"``,
``date_format(value, "DATE_FORMAT")``), never a pattern; the API keeps ISO dates.
Short date 01/12/2013, long 1 décembre 2013 (common.py); groups of digits apart by a non-breaking
space."""

from config.formats.common import *  # noqa: F403

THOUSAND_SEPARATOR = "\xa0"
