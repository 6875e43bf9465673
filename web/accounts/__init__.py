"""Accounts pages (thin Flask blueprints): users, roles, teams and sign-in.
No BPMN file of its own: its roles are the lanes of every file in bpmn/.
"""
