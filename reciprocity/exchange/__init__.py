"""Exchange: the work-camp networks' files (VEF, PEF, FPL) in and out of the platform.

`formats/` reads and writes the files (pure Python); `services.py` maps them onto
organisations, missions, volunteers and applications; `reciprocity exchange` is the command.
"""
