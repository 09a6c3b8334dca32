"""``python -m fentwatch``: the same command line as the ``fentwatch`` script."""

from fentwatch.cli import main

if __name__ == "__main__":
    main(prog_name="fentwatch")
