"""Imports of existing data (customers, contacts, opportunities, products, activity history, open receivables):
the batch, its staged rows (the undo log) and the column choices remembered for the next file."""
