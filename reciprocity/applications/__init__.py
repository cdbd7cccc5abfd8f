"""Applications (a volunteer's ranked mission choices, through a sending organisation) and
nominations by partner agencies."""
