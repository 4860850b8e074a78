# For type checkers only: at run time this module is fakecord.messages (see __init__.py).
from fakecord.messages import *  # noqa: F403 (the same names, whatever they are)
