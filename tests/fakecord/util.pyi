# For type checkers only: at run time this module is fakecord.util (see __init__.py).
from fakecord.util import *  # noqa: F403 (the same names, whatever they are)
