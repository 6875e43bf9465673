"""Service use cases: the questions the service-desk and engineer-schedule pages ask.
Serves bpmn/service_request.bpmn.
"""
