# For type checkers only: at run time this module is fakecord.state (see __init__.py).
from fakecord.state import *  # noqa: F403 (the same names, whatever they are)
