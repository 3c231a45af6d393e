"""The stand-in workflow, registered under the names the Go stand-in uses (images/standin/temporal.go), so a
workflow started by the REST API runs on whichever language's worker polls its task queue. Kept apart from the
worker's process code: Temporal's sandbox re-imports this module for every workflow run."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

WORKFLOW_NAME = "StandinWorkflow"
ACTIVITY_NAME = "StandinActivity"


@workflow.defn(name=WORKFLOW_NAME)
class StandinWorkflow:
    @workflow.run
    async def run(self, work: dict) -> dict:
        return await workflow.execute_activity(
            ACTIVITY_NAME,
            work,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
