"""Shegong (社工): information platform for a city's community social work stations."""
