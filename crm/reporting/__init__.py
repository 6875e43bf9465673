"""Reporting records kept in the database: the salespeople's periodic (daily, weekly, monthly) sales reports
(serves bpmn/sales_report.bpmn) and the KPI targets set against the plan's goals.
"""
