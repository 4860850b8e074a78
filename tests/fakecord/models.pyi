# For type checkers only: at run time this module is fakecord.models (see __init__.py).
from fakecord.models import *  # noqa: F403 (the same names, whatever they are)
