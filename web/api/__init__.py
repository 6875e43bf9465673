"""API pages (thin Flask blueprints): the JSON API: routes, OpenAPI description and the JSON shapes of instances,
tasks and events.
Serves every file in bpmn/ (start, tasks and their forms over HTTP).
"""
