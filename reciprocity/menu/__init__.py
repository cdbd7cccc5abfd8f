"""The menu's cached per-user summary (what reciprocity/navigation.py decides from), and the
receivers that make it stale when the rows it was read from change."""
