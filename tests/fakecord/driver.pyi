# For type checkers only: at run time this module is fakecord.driver (see __init__.py).
from fakecord.driver import *  # noqa: F403 (the same names, whatever they are)
