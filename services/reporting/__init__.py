"""Reporting use cases joining engine, forms and crm: the Reports page's figures: customer analyses, monthly KPIs,
service analyses, the workbook.
The Reports page reads what every process in bpmn/ records; the salespeople's periodic reports (periods.py,
periodic.py, periodic_figures.py, periodic_context.py, periodic_views.py) serve bpmn/sales_report.bpmn.
"""
