"""Date and number formats for English (FORMAT_MODULE_PATH, issue 15 point 8): what a reader in Belgium
expects, written out here rather than left to Django's defaults, so that the choice is visible and a
Django upgrade cannot change it. Templates and Python use the names (``|date:"SHORT_DATE_FORMAT"``,
``date_format(value, "DATE_FORMAT")``), never a pattern; the API keeps ISO dates.
English as read in Belgium: day before month and a 24-hour clock (CLDR en-BE: 1 December 2013,
01/12/2013), not Django's American defaults (Dec. 1, 2013; 12/01/2013; 2 p.m.). Numbers keep the English
point and comma."""

from config.formats.common import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
