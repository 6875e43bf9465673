"""Every user task of the sales processes can be completed through the JSON API from its form definition.

Values come from ``GET /api/tasks/<id>`` (types, options, bounds, initial values); a scenario only picks
which option of a decision field to take, so that every branch and so every task is reached.
"""

from __future__ import annotations

from engine import admin_actions
from tests.support.api_driver import user_task_ids

from .driver import SALES_FILES, start_from_form, walk


def test_every_user_task_completes_from_its_form(team, platform, actors, make_customer):
    make_customer()  # the lookups offer this customer
    done: set[str] = set()

    relationship = start_from_form(team, "relationship_maintenance", "sales")
    done |= set(walk(team, relationship, {"rm_carry_out": [{"problems_found": True}, {"problems_found": False}]}))

    for key, prefix, starter in (("customer_visit", "cv", "sales"), ("customer_reception", "cr", "info")):
        instance_id = start_from_form(team, key, starter)
        done |= set(walk(team, instance_id, {
            f"{prefix}_draft_plan": [{"budget": "90000"}],
            f"{prefix}_director_approval": [{"director_decision": "reject"}, {"director_decision": "approve"}],
            f"{prefix}_revise_or_cancel": [{"revise_decision": "revise"}],
        }))
        assert team.instance(instance_id).status == "completed"

    def deadline_passes():
        with platform.sessions() as session:
            admin_actions.fire_timer_now(session, platform.engine, bidding, actors["admin"], "test")
            session.commit()

    bidding = start_from_form(team, "bidding", "sales", estimated_value="90000000")
    done |= set(walk(team, bidding, {"bd_price_review": [{"price_decision": "revise"}, {"price_decision": "approve"}],
                                     "bd_result": [{"bid_result": "lost"}]},
                     before={"bd_submit": deadline_passes}))
    assert team.instance(bidding).status == "completed"

    declared = set().union(*(user_task_ids(f) for f in SALES_FILES if f.endswith(".bpmn")))
    assert declared - done == set()
