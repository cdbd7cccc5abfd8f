"""Our date formats per language (settings.FORMAT_MODULE_PATH), read before Django's own.

One unambiguous format per language, day before month and the month in words: "5 April 2027",
"5 avril 2027", "5 de abril de 2027". The SHORT_* formats are the same on purpose: Django's short
formats are numeric ("04/05/2027" reads 4 May in Europe and 5 April in the United States) and a page
that mixes two formats reads as two dates. Times are 24 h. Only what differs from Django's locale
files is set here; the rest (input formats, separators) falls through to Django's.
Date inputs stay ISO (type=date) and exports stay ISO: they are data, not text.
"""
