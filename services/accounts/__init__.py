"""Accounts use cases: the questions the user and team pages and the command line ask about people.
No BPMN file of its own: its roles are the lanes of every file in bpmn/.
"""
