"""Interactions: the recorded calls, chats and emails that reviewers evaluate, and their imports."""
