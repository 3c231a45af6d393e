"""The base of the users that call the platform's APIs with the load-test account's bearer token."""

import random

from locust import FastHttpUser

from loadtests import credentials


class ApiTokenUser(FastHttpUser):
    abstract = True  # not a user locust runs by itself
    credentials = (credentials.API_TOKEN,)

    def on_start(self):
        self.rng = random.Random()
        self.client.auth_header = f"Bearer {credentials.get(credentials.API_TOKEN)}"
