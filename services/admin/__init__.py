"""Admin use cases joining engine, forms and crm: the admin console: finding, explaining and repairing instances,
job health.
Serves every running instance of every file in bpmn/.
"""
