"""Volunteering schemes (Service Civique, VSI, work camps, ESC) and their versioned rules:
each value with its effective date, source and confidence, seeded from `data/*.json`."""
