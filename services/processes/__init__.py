"""Processes use cases joining engine, forms and crm: the process platform: worklist, tasks, start menu, library,
modeler, versions, drafts, uploads, lookups.
Serves every file in bpmn/ (deploy, start, complete, edit).
"""
