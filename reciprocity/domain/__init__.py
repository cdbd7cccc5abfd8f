"""Pure building blocks shared by the engines and the apps: dates, country codes, language levels.

No Django, no app, no clock: both engines (`placements.engine`, `procedures.engine`) import these,
so a rule written here is written once (import-linter keeps the package free of Django and apps;
see docs/decisions/0005-layers-and-import-contracts.md).
"""
