"""Process platform tests: worklist and task pages, generated forms (HTML and API), library, modeler, versions,
migration, uploads. Serves every file in bpmn/ (and the test diagrams under tests/processes/).
"""
