"""Reporting pages (thin Flask blueprints): the Reports page's figures: customer analyses, monthly KPIs, service
analyses, the workbook.
The Reports page reads what every process in bpmn/ records; periodic.py lists, prints and compares the
salespeople's periodic reports of bpmn/sales_report.bpmn.
"""
