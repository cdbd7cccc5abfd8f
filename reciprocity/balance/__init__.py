"""The reciprocity balance: an append-only ledger of placement events and what is read from it."""
