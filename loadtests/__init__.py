"""Load tests of the platform's public surfaces (locust). See README.md."""
