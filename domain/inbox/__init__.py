"""The agent's inbox: conversations read with their contact, number, queue, assignee and bot
session."""
