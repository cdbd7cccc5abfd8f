"""Signals other apps answer about a volunteer's personal data.

The export (right of access) must hold everything the platform keeps about the person, including
copies kept by apps above this one (the exchange app's VEF records): those apps connect a
receiver rather than this app importing them, so the layers keep pointing down.
"""

from django.dispatch import Signal

# Sent with `volunteer` and `clear_number` (whether identity numbers may be given in clear).
# Each receiver returns a dict of top-level sections to add to the export.
personal_data_export = Signal()

# Who works with a volunteer through an app above this one (ADR 0005, ignores 8-9 removed):
# `volunteers_visible_to` and `documents.can_download` ask instead of importing those apps.
#
# Sent with `organisation_ids` (the reader's organisations). Each receiver returns a `Q` on
# Volunteer selecting the volunteers those organisations work with through its app
# (applications: applied through or to them; placements: sent or hosted by them).
volunteers_related_to_organisations = Signal()
# Sent with `volunteer` and `organisation_ids`. A receiver returns True when one of those
# organisations hosts the volunteer closely enough to read their documents (applications: it
# accepted one of their choices; placements: it holds a placement of theirs not cancelled).
volunteer_documents_hosted_by = Signal()
