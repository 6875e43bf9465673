"""Reporting records kept in the database: the salespeople's periodic (daily, weekly, monthly) sales reports.
Serves bpmn/sales_report.bpmn.
"""
