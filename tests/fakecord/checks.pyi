# For type checkers only: at run time this module is fakecord.checks (see __init__.py).
from fakecord.checks import *  # noqa: F403 (the same names, whatever they are)
