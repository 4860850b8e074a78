# For type checkers only: at run time this module is fakecord.rest (see __init__.py).
from fakecord.rest import *  # noqa: F403 (the same names, whatever they are)
