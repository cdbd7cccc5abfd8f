"""Missions and work camps offered by a host organisation under a scheme."""
