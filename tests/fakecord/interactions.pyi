# For type checkers only: at run time this module is fakecord.interactions (see __init__.py).
from fakecord.interactions import *  # noqa: F403 (the same names, whatever they are)
