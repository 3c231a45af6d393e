"""REST API: what a customer's dashboard and integrations do all day. Reads dominate; each user
owns a few agents it creates at start and deletes at stop.

Assumed API (v1): /v1/agents (list, create), /v1/agents/{id} (get, patch, delete), /v1/calls
(list by agent). Bearer token from LOADTEST_API_TOKEN.
"""

from locust import between, task

from loadtests import gate, testdata  # noqa: F401  (gate registers the shared hooks)
from loadtests.api_user import ApiTokenUser
from loadtests.checks import expect


class RestApiUser(ApiTokenUser):
    surface = "rest"
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        self.agent_ids = []
        for _ in range(2):
            self.create_agent()

    def on_stop(self):
        for agent_id in list(self.agent_ids):
            self.delete_agent(agent_id)

    def some_agent(self):
        return self.rng.choice(self.agent_ids) if self.agent_ids else None

    @task(10)
    def list_agents(self):
        with self.client.get("/v1/agents?limit=20", name="/v1/agents", catch_response=True) as response:
            expect(response, 200, keys=("items",))

    @task(6)
    def get_agent(self):
        agent_id = self.some_agent()
        if agent_id is None:
            return
        with self.client.get(f"/v1/agents/{agent_id}", name="/v1/agents/[id]", catch_response=True) as response:
            expect(response, 200, keys=("id", "name"))

    @task(3)
    def list_calls(self):
        agent_id = self.some_agent()
        if agent_id is None:
            return
        with self.client.get(
            f"/v1/calls?agent_id={agent_id}&limit=50", name="/v1/calls", catch_response=True
        ) as response:
            expect(response, 200, keys=("items",))

    @task(2)
    def update_agent(self):
        agent_id = self.some_agent()
        if agent_id is None:
            return
        patch = {"greeting": testdata.sentence(self.rng, self.rng.randint(4, 10))}
        with self.client.patch(
            f"/v1/agents/{agent_id}", json=patch, name="/v1/agents/[id]", catch_response=True
        ) as response:
            expect(response, 200, keys=("id",))

    @task(1)
    def create_agent(self):
        with self.client.post(
            "/v1/agents", json=testdata.agent(self.rng), name="/v1/agents", catch_response=True
        ) as response:
            body = expect(response, 201, keys=("id",))
        if body:
            self.agent_ids.append(body["id"])
        # Keep each user's footprint bounded: the oldest agent goes once there are five.
        if len(self.agent_ids) > 5:
            self.delete_agent(self.agent_ids[0])

    def delete_agent(self, agent_id):
        with self.client.delete(f"/v1/agents/{agent_id}", name="/v1/agents/[id]", catch_response=True) as response:
            expect(response, 204)
        self.agent_ids.remove(agent_id)
