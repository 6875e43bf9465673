"""Admin console tests: finding, explaining and repairing instances (web and CLI).
Serves every running instance of every file in bpmn/.
"""
