"""Relay's Node: any object with an id, refetched with `node(id:)`."""
