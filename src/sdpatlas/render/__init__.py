"""Turning analysis results and the dataset into text, tables and files."""
