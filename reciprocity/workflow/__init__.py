"""The use-cases that cross applications and placements (and open procedures after commit).

A layer above `procedures` and below `balance` (docs/architecture.md, ADR 0005): it is the one
place that knows that an accepted choice becomes a proposed placement with an offer, that a
withdrawal cancels the proposals, that a confirmation marks the application placed and opens the
hosting procedure, and that a declined or expired offer lets the placement lapse and moves the
waiting list. The apps below keep their own rows and state machines; this package only calls
their services, so applications and placements no longer import each other.
"""
