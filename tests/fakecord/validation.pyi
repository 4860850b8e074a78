# For type checkers only: at run time this module is fakecord.validation (see __init__.py).
from fakecord.validation import *  # noqa: F403 (the same names, whatever they are)
