"""Signals other apps answer about a volunteer's personal data.

The export (right of access) must hold everything the platform keeps about the person, including
copies kept by apps above this one (the exchange app's VEF records): those apps connect a
receiver rather than this app importing them, so the layers keep pointing down.
"""

from django.dispatch import Signal

# Sent with `volunteer` and `clear_number` (whether identity numbers may be given in clear).
# Each receiver returns a dict of top-level sections to add to the export.
personal_data_export = Signal()
