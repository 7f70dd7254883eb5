"""The library behind localchat. Nothing in here imports Qt."""
