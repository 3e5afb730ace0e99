"""SDP Atlas: the EU's Security and Defence Partnerships as sourced, queryable data."""

__version__ = "0.1.0"
