"""Admin pages (thin Flask blueprints): the admin console: finding, explaining and repairing instances, job health.
Serves every running instance of every file in bpmn/.
"""
