"""The command line's subcommands, one module per group; `python -m bot` (bot/__main__.py)
parses the arguments and hands over to them."""

EXIT_CONFIG = 2
