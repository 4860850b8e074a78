"""Feature packages; each is a discord.py extension loaded by the Bot."""
