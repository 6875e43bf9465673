"""Processes pages (thin Flask blueprints): the process platform: worklist, tasks, start menu, library, modeler,
versions, drafts, uploads, lookups.
Serves every file in bpmn/ (deploy, start, complete, edit).
"""
