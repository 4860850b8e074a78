# For type checkers only: at run time this module is fakecord.permissions (see __init__.py).
from fakecord.permissions import *  # noqa: F403 (the same names, whatever they are)
