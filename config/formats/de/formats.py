"""Date and number formats for German (FORMAT_MODULE_PATH, issue 15 point 8): what a reader in Belgium
expects, written out here rather than left to Django's defaults, so that the choice is visible and a
Django upgrade cannot change it. Templates and Python use the names (``|date:"SHORT_DATE_FORMAT"``,
``date_format(value, "DATE_FORMAT")``), never a pattern; the API keeps ISO dates."""

from config.formats.common import *  # noqa: F403

DATE_FORMAT = "j. F Y"  # 1. Dezember 2013
DATETIME_FORMAT = "j. F Y H:i"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"  # 01.12.2013
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
