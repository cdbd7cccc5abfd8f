"""The demo network: a deterministic, realistic data set for trying the platform."""
