"""Hosting procedures: eligibility, entry document, dated steps, owners and documents."""
