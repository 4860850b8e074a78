# For type checkers only: at run time this module is fakecord.gateway (see __init__.py).
from fakecord.gateway import *  # noqa: F403 (the same names, whatever they are)
