"""The `reciprocity` console script: Django's manage.py for this project."""

import os
import sys

# Django's own exit code for an unknown subcommand is 1; ours is 2, like every usage error.
USAGE_ERROR = 2


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocity.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    argv = sys.argv
    if len(argv) > 1 and not argv[1].startswith("-") and argv[1] != "help":
        django.setup()
        if argv[1] not in get_commands():
            prog = os.path.basename(argv[0])
            if prog == "__main__.py" or prog.endswith(".py"):
                prog = "reciprocity"
            sys.stderr.write(f"Unknown command: {argv[1]!r}\nType '{prog} help' for usage.\n")
            sys.exit(USAGE_ERROR)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
