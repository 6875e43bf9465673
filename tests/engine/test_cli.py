"""``flask engine deploy | start | list | show | tick`` through Flask's CLI runner."""

from tests.engine.helpers import BPMN_DIR, ready_tasks


def test_deploy_start_list_show_tick(app, platform):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["engine", "deploy", str(BPMN_DIR / "approval.bpmn"), "--user", "owner"])
    assert result.exit_code == 0 and "approval: v1 (new version)" in result.output
    again = runner.invoke(args=["engine", "deploy", str(BPMN_DIR / "approval.bpmn")])
    assert "approval: v1 (unchanged)" in again.output

    started = runner.invoke(args=["engine", "start", "approval", "--user", "sales", "--data", '{"customer_id": 4}'])
    assert started.exit_code == 0, started.output
    instance_id = int(started.output.split()[1].rstrip(":"))
    assert "running" in started.output

    listed = runner.invoke(args=["engine", "list"])
    assert f"{instance_id:>6}  approval" in listed.output

    shown = runner.invoke(args=["engine", "show", str(instance_id)])
    assert "task request" in shown.output and '"customer_id": 4' in shown.output
    assert [t.task_name for t in ready_tasks(platform, instance_id)] == ["request"]

    ticked = runner.invoke(args=["engine", "tick"])
    assert ticked.exit_code == 0 and "job(s) dispatched" in ticked.output


def test_cli_errors_are_clear(app, tmp_path):
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.bpmn"
    bad.write_bytes(b"<not-closed")
    result = runner.invoke(args=["engine", "deploy", str(bad)])
    assert result.exit_code != 0 and "bad.bpmn:1: malformed XML" in result.output
    missing = runner.invoke(args=["engine", "start", "nope", "--user", "sales"])
    assert missing.exit_code != 0 and "no process 'nope' is deployed" in missing.output
    nobody = runner.invoke(args=["engine", "show", "424242"])
    assert nobody.exit_code != 0 and "no instance 424242" in nobody.output
