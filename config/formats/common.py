"""What the four languages of the service share (each language's formats.py starts from it and says what
differs): day before month, 01/12/2013 as the short date, a 24-hour clock, Monday first."""

DATE_FORMAT = "j F Y"  # 1 décembre 2013, 1 december 2013, 1 December 2013
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 01/12/2013
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
