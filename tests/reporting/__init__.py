"""Reporting tests: the Reports page's figures: customer analyses, monthly KPIs, service analyses, the workbook.
No BPMN file of its own: it reads what every process in bpmn/ records.
"""
