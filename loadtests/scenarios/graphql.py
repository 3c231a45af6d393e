"""GraphQL API: the queries and mutations the web app sends. Each operation reports under its own
name ("/graphql query agents", ...), since one URL serves them all.

Bearer token from LOADTEST_API_TOKEN.
"""

from locust import between, task

from loadtests import gate, testdata  # noqa: F401  (gate registers the shared hooks)
from loadtests.api_user import ApiTokenUser
from loadtests.checks import expect_graphql

LIST_AGENTS = "query Agents($first: Int!) { agents(first: $first) { edges { node { id name language } } } }"
GET_AGENT = (
    "query Agent($id: ID!) { agent(id: $id) { id name greeting voice calls(first: 5) { edges { node { id } } } } }"
)
CREATE_AGENT = "mutation CreateAgent($input: AgentInput!) { createAgent(input: $input) { id } }"
UPDATE_AGENT = "mutation UpdateAgent($id: ID!, $input: AgentPatch!) { updateAgent(id: $id, input: $input) { id } }"
DELETE_AGENT = "mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) { id } }"


class GraphqlUser(ApiTokenUser):
    surface = "graphql"
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        self.agent_ids = []
        self.create_agent()

    def on_stop(self):
        for agent_id in list(self.agent_ids):
            if self.operation("mutation deleteAgent", DELETE_AGENT, "deleteAgent", id=agent_id) is not None:
                self.agent_ids.remove(agent_id)

    def operation(self, label, query, field, **variables):
        with self.client.post(
            "/graphql", json={"query": query, "variables": variables}, name=f"/graphql {label}", catch_response=True
        ) as response:
            return expect_graphql(response, field)

    @task(10)
    def list_agents(self):
        self.operation("query agents", LIST_AGENTS, "agents", first=20)

    @task(6)
    def get_agent(self):
        if self.agent_ids:
            self.operation("query agent", GET_AGENT, "agent", id=self.rng.choice(self.agent_ids))

    @task(2)
    def update_agent(self):
        if self.agent_ids:
            patch = {"greeting": testdata.sentence(self.rng, self.rng.randint(4, 10))}
            self.operation(
                "mutation updateAgent", UPDATE_AGENT, "updateAgent", id=self.rng.choice(self.agent_ids), input=patch
            )

    @task(1)
    def create_agent(self):
        created = self.operation("mutation createAgent", CREATE_AGENT, "createAgent", input=testdata.agent(self.rng))
        if created and "id" in created:
            self.agent_ids.append(created["id"])
        if len(self.agent_ids) > 3:
            oldest = self.agent_ids[0]
            if self.operation("mutation deleteAgent", DELETE_AGENT, "deleteAgent", id=oldest) is not None:
                self.agent_ids.remove(oldest)
