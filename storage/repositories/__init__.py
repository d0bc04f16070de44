"""Repositories per aggregate: queries and adds, never commits (the unit of work does)."""
