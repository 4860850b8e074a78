# For type checkers only: at run time this module is fakecord.handlers (see __init__.py).
from fakecord.handlers import *  # noqa: F403 (the same names, whatever they are)
